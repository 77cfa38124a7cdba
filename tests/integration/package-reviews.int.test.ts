import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import * as reviewsRoute from "@/app/api/v1/agents/[slug]/reviews/route";
import * as reviewRoute from "@/app/api/v1/agents/[slug]/reviews/[id]/route";
import * as replyRoute from "@/app/api/v1/agents/[slug]/reviews/[id]/reply/route";
import * as reportRoute from "@/app/api/v1/agents/[slug]/reviews/[id]/report/route";
import * as reportsRoute from "@/app/api/v1/admin/review-reports/route";
import * as resolveRoute from "@/app/api/v1/admin/review-reports/[id]/resolve/route";
import { Markdown } from "@/components/ui/markdown";
import { getAgent } from "@/lib/agents/catalog";
import { getDb } from "@/lib/db/client";
import { bayesianRating, PRIOR_MEAN, PRIOR_WEIGHT } from "@/lib/packages/rating";
import { finishRun, type RunEnding } from "@/lib/runs/finish-run";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace, setWallet } from "../helpers/factories";
import { createProvider, heldRun, thirdPartyPackage } from "../helpers/market";

// Issue 20 item 4: reviews only from paying workspaces, one voice each, a
// Bayesian displayed rating, the provider's one reply, reports and moderation.

const db = getDb();
const usage = { inputTokens: 1_000, outputTokens: 200, cacheWriteTokens: 0, cacheReadTokens: 0 };
const ending = (status: RunEnding["status"]): RunEnding => ({ status, usage, ...(status === "FAILED" ? { error: { code: "x", message: "failed", cause: "provider" as const } } : {}) });

type Pkg = { id: string; slug: string; version: string };

async function market(label: string) {
  const { provider, owner } = await createProvider(`${label}-prov`);
  const pkg: Pkg = await thirdPartyPackage(provider.id, 100_000n);
  return { provider, owner, pkg, ownerCookie: await sessionCookie(owner.user.id, owner.workspace.id) };
}

/** Another published version of the same slug. */
async function publishVersion(pkg: Pkg, version: string): Promise<Pkg> {
  const row = await db.agentPackage.findUniqueOrThrow({ where: { id: pkg.id } });
  return db.agentPackage.create({
    data: { slug: row.slug, version, name: row.name, summary: row.summary, description: "", category: row.category, capabilities: [], kind: row.kind, providerId: row.providerId, model: row.model, maxOutputTokens: row.maxOutputTokens, baseFeeMicros: row.baseFeeMicros, inputSchema: {}, outputSchema: {}, exampleInput: {}, publishedAt: new Date() },
  });
}

/** A run of `pkg` by the workspace, ended with `status` (SUCCEEDED: a paid run). */
async function ranIt(workspaceId: string, pkg: Pkg, status: RunEnding["status"] = "SUCCEEDED") {
  const run = await heldRun(workspaceId, pkg, 5_000_000n);
  expect(await finishRun(db, run, ending(status), { from: ["RUNNING"] })).toBe(true);
}

/** A buyer (signed in, owner of its workspace) with `runs` paid runs of `pkg`. */
async function buyer(label: string, pkg: Pkg | null, status: RunEnding["status"] = "SUCCEEDED") {
  const u = await createUser(label);
  await setWallet(u.workspace.id, 100_000_000n);
  if (pkg) await ranIt(u.workspace.id, pkg, status);
  return { ...u, cookie: await sessionCookie(u.user.id, u.workspace.id) };
}

const post = (slug: string, cookie: string, body: unknown) =>
  callRoute(reviewsRoute.POST, { method: "POST", path: `/api/v1/agents/${slug}/reviews`, params: { slug }, headers: { cookie }, body: JSON.stringify(body) });
const list = (slug: string, qs = "", cookie?: string) => callRoute(reviewsRoute.GET, { path: `/api/v1/agents/${slug}/reviews${qs}`, params: { slug }, headers: cookie ? { cookie } : {} });
const patch = (slug: string, id: string, cookie: string, body: unknown) =>
  callRoute(reviewRoute.PATCH, { method: "PATCH", path: `/api/v1/agents/${slug}/reviews/${id}`, params: { slug, id }, headers: { cookie }, body: JSON.stringify(body) });
const reply = (slug: string, id: string, cookie: string, text: string) =>
  callRoute(replyRoute.POST, { method: "POST", path: `/api/v1/agents/${slug}/reviews/${id}/reply`, params: { slug, id }, headers: { cookie }, body: JSON.stringify({ reply: text }) });
const report = (slug: string, id: string, cookie: string, reason: string) =>
  callRoute(reportRoute.POST, { method: "POST", path: `/api/v1/agents/${slug}/reviews/${id}/report`, params: { slug, id }, headers: { cookie }, body: JSON.stringify({ reason }) });
const stats = (slug: string) => db.packageStats.findUnique({ where: { slug }, select: { rating: true, ratingCount: true } });

type Summary = { rating: number | null; count: number; histogram: number[]; versions: { version: string; rating: number; count: number }[] };
type Review = { id: string; version: string; rating: number; body: string; workspaceName: string; reply: { body: string } | null };
const summaryOf = (body: unknown) => (body as { summary: Summary }).summary;
const reviewsOf = (body: unknown) => (body as { data: Review[] }).data;

describe("who may review", () => {
  it("ten members of one workspace posting at once make one review (the rest 409 naming it), counted as one voice", async () => {
    const { pkg } = await market("ten");
    const owner = await buyer("ten-buyer", pkg);
    const members = await Promise.all(Array.from({ length: 9 }, (_, i) => createUser(`ten-m${i}`, { verified: false })));
    await Promise.all(members.map((m) => joinWorkspace(m.user.id, owner.workspace.id)));
    const cookies = [owner.cookie, ...(await Promise.all(members.map((m) => sessionCookie(m.user.id, owner.workspace.id))))];
    const results = await Promise.all(cookies.map((cookie, i) => post(pkg.slug, cookie, { rating: (i % 5) + 1, body: `member ${i}` })));
    const created = results.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(9);
    const id = (created[0]!.body as unknown as Review).id;
    for (const r of refused) {
      expect(r.body!.error.message).toContain("edit your workspace's review instead");
      expect(r.body!.error.details).toMatchObject({ reviewId: id });
    }
    expect(await db.packageReview.count({ where: { slug: pkg.slug } })).toBe(1);
    const stars = (created[0]!.body as unknown as Review).rating;
    expect(await stats(pkg.slug)).toEqual({ rating: (PRIOR_WEIGHT * PRIOR_MEAN + stars) / (PRIOR_WEIGHT + 1), ratingCount: 1 });
    const page = await list(pkg.slug);
    expect(summaryOf(page.body).count).toBe(1);
    expect(reviewsOf(page.body)[0]).toMatchObject({ id, workspaceName: owner.workspace.name });
    expect(JSON.stringify(page.body)).not.toContain(owner.email);
  });

  it("refuses a workspace without a paid run, one with only a FAILED run, and the provider's own, with the reason", async () => {
    const { pkg, ownerCookie } = await market("who");
    const never = await buyer("who-never", null);
    const failed = await buyer("who-failed", pkg, "FAILED");
    for (const cookie of [never.cookie, failed.cookie]) {
      const res = await post(pkg.slug, cookie, { rating: 5, body: "great" });
      expect(res.status).toBe(403);
      expect(res.body!.error.message).toBe(`Your workspace has no paid run of ${pkg.slug} in the last 90 days; reviews come only from paying users.`);
    }
    const own = await post(pkg.slug, ownerCookie, { rating: 5 });
    expect(own.status).toBe(403);
    expect(own.body!.error.message).toContain("your workspace's own package");
    expect(await db.packageReview.count({ where: { slug: pkg.slug } })).toBe(0);
    const viewer = (await list(pkg.slug, "", never.cookie)).body as unknown as { viewer: { cannotReview: string | null } };
    expect(viewer.viewer.cannotReview).toContain("no paid run");
  });

  it("refuses a paid run older than 90 days", async () => {
    const { pkg } = await market("old");
    const b = await buyer("old-buyer", pkg);
    await db.run.updateMany({ where: { workspaceId: b.workspace.id }, data: { finishedAt: new Date(Date.now() - 91 * 86_400_000) } });
    expect((await post(pkg.slug, b.cookie, { rating: 4 })).status).toBe(403);
  });

  it("refuses ratings outside 1–5 or not whole, a missing rating and an over-long text, writing nothing", async () => {
    const { pkg } = await market("bad");
    const b = await buyer("bad-buyer", pkg);
    for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 2.5 }, { rating: "5" }, {}, { rating: 3, body: "x".repeat(4_001) }]) {
      const res = await post(pkg.slug, b.cookie, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body!.error.code).toBe("validation_failed");
    }
    expect((await post(pkg.slug, b.cookie, { rating: 0 })).body!.error.message).toBe("Rating: choose 1 to 5 stars.");
    expect(await db.packageReview.count({ where: { slug: pkg.slug } })).toBe(0);
    expect(await stats(pkg.slug)).toBeNull();
    expect((await list(pkg.slug, "?version=latest")).status).toBe(400);
    expect((await post("no-such-agent-here", b.cookie, { rating: 3 })).status).toBe(404);
  });
});

describe("the displayed rating", () => {
  it("moves less on a first 1★ review than the raw swing of a brand-new package: (5·3.5 + 1)/6 = 3.083…", async () => {
    const { pkg } = await market("bayes");
    await db.agentPackage.update({ where: { id: pkg.id }, data: { publishedAt: null } }); // as a built-in package is
    const empty = await list(pkg.slug);
    expect(summaryOf(empty.body)).toMatchObject({ rating: null, count: 0, histogram: [0, 0, 0, 0, 0] });
    expect((await getAgent(pkg.slug)).rating).toBeNull();

    const b = await buyer("bayes-buyer", pkg);
    expect((await post(pkg.slug, b.cookie, { rating: 1, body: "did not work for me" })).status).toBe(201);
    const summary = summaryOf((await list(pkg.slug)).body);
    expect(summary.rating).toBeCloseTo(3.0833, 4);
    expect(summary).toMatchObject({ count: 1, histogram: [1, 0, 0, 0, 0], versions: [{ version: "1.0.0", count: 1 }] });
    const move = PRIOR_MEAN - summary.rating!;
    expect(move).toBeCloseTo(0.4167, 4);
    expect(move).toBeLessThan(PRIOR_MEAN - 1); // a plain average would fall 2.5, to 1.0
    expect(await getAgent(pkg.slug)).toMatchObject({ rating: summary.rating, ratingCount: 1 });

    // A second workspace's 5★: (17.5 + 1 + 5) / 7 = 3.357…
    const c = await buyer("bayes-other", pkg);
    expect((await post(pkg.slug, c.cookie, { rating: 5 })).status).toBe(201);
    expect((await stats(pkg.slug))!.rating).toBeCloseTo(23.5 / 7, 6);
    expect(bayesianRating(0, 0)).toBeNull();
  });

  it("ties each review to the version of the workspace's latest paid run, and rates per version", async () => {
    const { pkg } = await market("ver");
    const v2 = await publishVersion(pkg, "2.0.0");
    const early = await buyer("ver-early", pkg);
    const late = await buyer("ver-late", v2);
    const first = await post(pkg.slug, early.cookie, { rating: 2 });
    expect((first.body as unknown as Review).version).toBe("1.0.0");
    expect(((await post(pkg.slug, late.cookie, { rating: 5 })).body as unknown as Review).version).toBe("2.0.0");
    const summary = summaryOf((await list(pkg.slug)).body);
    expect(summary.versions).toEqual([
      { version: "2.0.0", rating: (17.5 + 5) / 6, count: 1 },
      { version: "1.0.0", rating: (17.5 + 2) / 6, count: 1 },
    ]);
    expect(reviewsOf((await list(pkg.slug, "?version=2.0.0")).body).map((r) => r.rating)).toEqual([5]);

    // The early workspace runs 2.0.0 and edits: the review follows it to 2.0.0.
    await ranIt(early.workspace.id, v2);
    const edited = await patch(pkg.slug, (first.body as unknown as Review).id, early.cookie, { rating: 4, body: "better in 2.0" });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: "2.0.0", rating: 4, body: "better in 2.0" });
    expect(summaryOf((await list(pkg.slug)).body).versions).toEqual([{ version: "2.0.0", rating: (17.5 + 9) / 7, count: 2 }]);
  });
});

describe("editing, replies and reports", () => {
  it("lets only the review's workspace edit it (its author or an owner), not another workspace or another member", async () => {
    const { pkg } = await market("edit");
    const b = await buyer("edit-buyer", pkg);
    const id = ((await post(pkg.slug, b.cookie, { rating: 3, body: "ok" })).body as unknown as Review).id;
    const other = await buyer("edit-other", pkg);
    const res = await patch(pkg.slug, id, other.cookie, { rating: 1 });
    expect(res.status).toBe(403);
    const member = await createUser("edit-member", { verified: false });
    await joinWorkspace(member.user.id, b.workspace.id);
    expect((await patch(pkg.slug, id, await sessionCookie(member.user.id, b.workspace.id), { rating: 1 })).status).toBe(403);
    expect((await patch(pkg.slug, id, b.cookie, { rating: 7 })).status).toBe(400);
    expect((await patch(pkg.slug, id, b.cookie, {})).status).toBe(400);
    expect(await db.packageReview.findUniqueOrThrow({ where: { id } })).toMatchObject({ rating: 3, body: "ok" });
  });

  it("stores a <script> body as written and renders it inert", async () => {
    const { pkg } = await market("xss");
    const b = await buyer("xss-buyer", pkg);
    const body = 'Nice <script>alert("x")</script> [click](javascript:alert(1)) **bold**';
    expect((await post(pkg.slug, b.cookie, { rating: 4, body })).status).toBe(201);
    const shown = reviewsOf((await list(pkg.slug)).body)[0]!;
    expect(shown.body).toBe(body);
    const html = renderToStaticMarkup(createElement(Markdown, null, shown.body));
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("javascript:");
  });

  it("takes one reply from an owner of the provider's workspace; a second is a 409, others are refused", async () => {
    const { pkg, ownerCookie, owner } = await market("reply");
    const b = await buyer("reply-buyer", pkg);
    const id = ((await post(pkg.slug, b.cookie, { rating: 2, body: "slow" })).body as unknown as Review).id;
    expect((await reply(pkg.slug, id, b.cookie, "thanks me")).status).toBe(403);
    const member = await createUser("reply-member", { verified: false });
    await joinWorkspace(member.user.id, owner.workspace.id);
    expect((await reply(pkg.slug, id, await sessionCookie(member.user.id, owner.workspace.id), "hi")).status).toBe(403);
    expect((await reply(pkg.slug, id, ownerCookie, "x".repeat(2_001))).status).toBe(400);
    const first = await reply(pkg.slug, id, ownerCookie, "Fixed in 1.0.1.");
    expect(first.status).toBe(200);
    expect((first.body as unknown as Review).reply).toMatchObject({ body: "Fixed in 1.0.1." });
    const second = await reply(pkg.slug, id, ownerCookie, "Again.");
    expect(second.status).toBe(409);
    expect((await db.packageReview.findUniqueOrThrow({ where: { id } })).reply).toBe("Fixed in 1.0.1.");
  });

  it("report → the admin queue → hide: the review disappears and the rating is recomputed without it; a second resolve is a 409", async () => {
    const { pkg } = await market("mod");
    const fair = await buyer("mod-fair", pkg);
    const angry = await buyer("mod-angry", pkg);
    await post(pkg.slug, fair.cookie, { rating: 5 });
    const angryId = ((await post(pkg.slug, angry.cookie, { rating: 1, body: "spam spam" })).body as unknown as Review).id;
    expect((await stats(pkg.slug))!).toEqual({ rating: (17.5 + 6) / 7, ratingCount: 2 });

    const reporter = await buyer("mod-reporter", null);
    expect((await report(pkg.slug, angryId, angry.cookie, "mine")).status).toBe(403);
    expect((await report(pkg.slug, angryId, reporter.cookie, "")).status).toBe(400);
    const reported = await report(pkg.slug, angryId, reporter.cookie, "Advertising, not a review.");
    expect(reported.status).toBe(201);
    expect((await report(pkg.slug, angryId, reporter.cookie, "again")).status).toBe(409);

    const admin = await createUser("mod-admin");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const adminCookie = await sessionCookie(admin.user.id);
    expect((await callRoute(reportsRoute.GET, { path: "/api/v1/admin/review-reports", headers: { cookie: reporter.cookie } })).status).toBe(403);
    const reportId = (reported.body as unknown as { id: string }).id;
    const queued = await findInQueue(adminCookie, reportId);
    expect(queued).toMatchObject({ reason: "Advertising, not a review.", reporterWorkspaceName: reporter.workspace.name, review: { id: angryId, rating: 1, hidden: false } });

    const resolve = (body: unknown) => callRoute(resolveRoute.POST, { method: "POST", path: `/api/v1/admin/review-reports/${reportId}/resolve`, params: { id: reportId }, headers: { cookie: adminCookie }, body: JSON.stringify(body) });
    expect((await resolve({ action: "hide" })).status).toBe(400); // hiding needs a reason
    const hidden = await resolve({ action: "hide", reason: "Spam." });
    expect(hidden.status).toBe(200);
    expect(await resolve({ action: "keep" })).toMatchObject({ status: 409 });

    expect(await db.packageReview.findUniqueOrThrow({ where: { id: angryId } })).toMatchObject({ hiddenReason: "Spam.", hiddenAt: expect.any(Date) });
    expect(await stats(pkg.slug)).toEqual({ rating: (17.5 + 5) / 6, ratingCount: 1 });
    const page = await list(pkg.slug);
    expect(reviewsOf(page.body).map((r) => r.id)).not.toContain(angryId);
    expect(summaryOf(page.body)).toMatchObject({ count: 1, histogram: [0, 0, 0, 0, 1] });
    expect(await findInQueue(adminCookie, reportId)).toBeUndefined();
    expect(await db.auditLog.findFirst({ where: { action: "admin.review.hidden", target: angryId } })).toMatchObject({ actorUserId: admin.user.id, workspaceId: angry.workspace.id });
    expect((await patch(pkg.slug, angryId, angry.cookie, { rating: 5 })).status).toBe(404);
    expect((await post(pkg.slug, angry.cookie, { rating: 5 })).status).toBe(409);
  });
});

/** The open report `id` in the admin queue, paging through it (other tests' reports share it). */
async function findInQueue(cookie: string, id: string) {
  let cursor = "";
  for (;;) {
    const res = await callRoute(reportsRoute.GET, { path: `/api/v1/admin/review-reports?limit=50${cursor ? `&cursor=${cursor}` : ""}`, headers: { cookie } });
    expect(res.status).toBe(200);
    const page = res.body as unknown as { data: { id: string }[]; nextCursor: string | null };
    const found = page.data.find((r) => r.id === id);
    if (found || !page.nextCursor) return found;
    cursor = page.nextCursor;
  }
}
