import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as preferencesRoute from "@/app/api/v1/me/notification-preferences/route";
import * as readRoute from "@/app/api/v1/notifications/read/route";
import * as notificationsRoute from "@/app/api/v1/notifications/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { creditPayment } from "@/lib/billing/credits";
import { getDb } from "@/lib/db/client";
import { lastEventSeq } from "@/lib/events/feed";
import { LOW_BALANCE_MICROS } from "@/lib/events/types";
import type { Notification } from "@/lib/notifications/notifications";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { awardedWork } from "../helpers/exchange-contract";
import { createUser, joinWorkspace, setWallet } from "../helpers/factories";

// The bell (issue 22, item 4): notifications derived from the event feed, per person and workspace.
// Events come from the real triggers (wallet, top-up, bids, work log); a run failure and extra bids are
// written with the feed's own agora_emit_event, as the run trigger would (same type, same data).

const db = getDb();

type List = { data: Notification[]; unreadCount: number; readUpTo: number; nextBefore: number | null };

async function as(userId: string, workspaceId: string) {
  const cookie = await sessionCookie(userId, workspaceId);
  const headers = { cookie };
  return {
    list: async (qs = "") => {
      const res = await callRoute(notificationsRoute.GET, { path: `/api/v1/notifications${qs}`, headers });
      return { status: res.status, body: res.body as unknown as List & typeof res.body };
    },
    read: (upTo: unknown) => callRoute(readRoute.POST, { method: "POST", path: "/api/v1/notifications/read", headers, body: JSON.stringify({ upTo }) }),
    prefs: () => callRoute(preferencesRoute.GET, { path: "/api/v1/me/notification-preferences", headers }),
    setPrefs: (body: unknown) => callRoute(preferencesRoute.PUT, { method: "PUT", path: "/api/v1/me/notification-preferences", headers, body: JSON.stringify(body) }),
  };
}

const emit = (workspaceId: string, type: string, data: object) => db.$executeRaw`SELECT agora_emit_event(${workspaceId}, ${type}, ${JSON.stringify(data)}::jsonb)`;
const runFailed = (workspaceId: string, agent = "security-scanner") => emit(workspaceId, "run.failed", { runId: randomUUID(), agent, status: "FAILED", errorCode: "model_error", failureCause: "The model failed." });

describe("GET /api/v1/notifications", () => {
  it("lists the notifying events of the caller's side, newest first, with links and an unread count; the other side and non-notifying events stay out", async () => {
    const { buyer, seller, work, contract } = await awardedWork({ price: 1_000_000n });
    await db.$transaction((tx) => creditPayment(tx, { workspaceId: buyer.workspace.id, paymentIntentId: `pi_${randomUUID()}`, amountMicros: 2_000_000n, reason: "top_up" }));
    await setWallet(buyer.workspace.id, BigInt(LOW_BALANCE_MICROS) - 1n);
    await runFailed(buyer.workspace.id);
    await db.bid.update({ where: { id: contract.bidId }, data: { status: "WON" } });

    const b = await as(buyer.user.id, buyer.workspace.id);
    const mine = await b.list();
    expect(mine.status).toBe(200);
    const types = mine.body.data.map((n) => n.type);
    // The wallet emptied when it was set up (balance.low), the bid placed on the buyer's work, the award, the
    // top-up, the low balance again, the failed run; not bid.won (the provider's), nor balance.changed.
    expect(types).toEqual(["run.failed", "balance.low", "topup.succeeded", "work.awarded", "bid.placed", "balance.low"]);
    expect(mine.body.data.map((n) => n.seq)).toEqual([...mine.body.data.map((n) => n.seq)].sort((x, y) => y - x));
    expect(mine.body.unreadCount).toBe(6);
    expect(mine.body.data.every((n) => n.unread && n.count === 1)).toBe(true);
    const byType = Object.fromEntries(mine.body.data.map((n) => [n.type, n]));
    expect(byType["bid.placed"]).toMatchObject({ category: "bids", title: "Bid received on “Summarise”", link: `/exchange/${work.id}` });
    expect(byType["topup.succeeded"]).toMatchObject({ category: "money", title: "Top-up of $2 received", link: "/billing" });
    expect(byType["balance.low"]!.line).toBe("$0 of credits left; runs that may cost more are refused."); // set to zero first, then the grant under $0.50
    expect(byType["run.failed"]!.link).toMatch(/^\/runs\//);

    const s = await as(seller.owner.user.id, seller.owner.workspace.id);
    const theirs = await s.list();
    // The provider's side: its package published at set-up, the award, its bid won; not bid.placed (the buyer's).
    expect(theirs.body.data.map((n) => n.type)).toEqual(["bid.won", "work.awarded", "package.published"]);
    expect(theirs.body.data[0]!.title).toBe("Your bid won “Summarise”");
    expect(theirs.body.data[2]!.link).toMatch(/^\/provider\/packages\/pkg-/);
  });

  it("never shows another workspace's events; each member has their own read marker; an API key is refused", async () => {
    const owner = await createUser("notify-owner");
    const stranger = await createUser("notify-stranger");
    await runFailed(owner.workspace.id);
    await runFailed(stranger.workspace.id);
    await runFailed(stranger.workspace.id);
    const o = await as(owner.user.id, owner.workspace.id);
    const first = await o.list();
    expect(first.body.data.map((n) => n.type)).toEqual(["run.failed"]);
    expect(first.body.unreadCount).toBe(1);
    // The stranger signed in, but naming the owner's workspace: not a member, so their own workspace is used.
    const s = await as(stranger.user.id, owner.workspace.id);
    const theirs = await s.list();
    expect(theirs.body.data.every((n) => !first.body.data.some((m) => m.seq === n.seq && n.createdAt === m.createdAt && n.line === m.line))).toBe(true);
    expect(theirs.body.data.map((n) => n.count).reduce((x, y) => x + y, 0)).toBe(2);

    const member = await createUser("notify-member");
    await joinWorkspace(member.user.id, owner.workspace.id);
    const m = await as(member.user.id, owner.workspace.id);
    expect((await o.read(first.body.data[0]!.seq)).body).toMatchObject({ unreadCount: 0 });
    const memberView = await m.list();
    expect(memberView.body.data.map((n) => n.seq)).toEqual(first.body.data.map((n) => n.seq));
    expect(memberView.body.unreadCount).toBe(1);

    const key = await createApiKey(owner.principal, { name: "bell" });
    const byKey = await callRoute(notificationsRoute.GET, { path: "/api/v1/notifications", headers: { authorization: `Bearer ${key.secret}` } });
    expect(byKey.status).toBe(403);
    expect(byKey.body!.error.message).toMatch(/API key/);
    expect((await callRoute(notificationsRoute.GET, { path: "/api/v1/notifications" })).status).toBe(401);
  });

  it("groups bids on one work close together into one line, never money alerts; pages with before and after", async () => {
    const { buyer, work } = await awardedWork({ price: 1_000_000n });
    const b = await as(buyer.user.id, buyer.workspace.id);
    const before = await lastEventSeq(buyer.workspace.id);
    for (let i = 0; i < 2; i++) await emit(buyer.workspace.id, "bid.placed", { bidId: randomUUID(), workId: work.id, priceMicros: 900_000, promisedMinutes: 20, package: null, auto: false, status: "ACTIVE" });
    await emit(buyer.workspace.id, "balance.low", { availableMicros: 10, postedMicros: 10, heldMicros: 0, thresholdMicros: LOW_BALANCE_MICROS });
    await emit(buyer.workspace.id, "balance.low", { availableMicros: 5, postedMicros: 5, heldMicros: 0, thresholdMicros: LOW_BALANCE_MICROS });

    const all = await b.list();
    const bids = all.body.data.filter((n) => n.type === "bid.placed");
    expect(bids).toHaveLength(1);
    expect(bids[0]).toMatchObject({ count: 3, title: "3 bids received on “Summarise”" });
    expect(bids[0]!.firstSeq).toBeLessThan(bids[0]!.seq);
    // Money alerts one line each: the two above and the one from emptying the wallet at set-up.
    expect(all.body.data.filter((n) => n.type === "balance.low").map((n) => n.count)).toEqual([1, 1, 1]);
    // Three bids, the award and three alerts: seven unread events, in five lines.
    expect(all.body.unreadCount).toBe(7);
    expect(all.body.data).toHaveLength(5);

    const newer = await b.list(`?after=${before}`);
    expect(newer.body.data.map((n) => n.type)).toEqual(["balance.low", "balance.low", "bid.placed"]);
    expect(newer.body.data[2]!.count).toBe(2);
    const page1 = await b.list("?limit=2");
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.nextBefore).toBe(page1.body.data[1]!.seq);
    const page2 = await b.list(`?before=${page1.body.nextBefore}&limit=100`);
    expect(page2.body.data[0]!.seq).toBeLessThan(page1.body.nextBefore!);
    expect(page2.body.nextBefore).toBeNull();

    // Bids more than an hour apart are separate lines.
    await db.$executeRaw`UPDATE "Event" SET "createdAt" = "createdAt" - interval '2 hours' WHERE "workspaceId" = ${buyer.workspace.id} AND "seq" <= ${before}`;
    const apart = await b.list();
    expect(apart.body.data.filter((n) => n.type === "bid.placed").map((n) => n.count)).toEqual([2, 1]);
  });

  it("refuses bad paging input with a 400 naming the field", async () => {
    const { user, workspace } = await createUser("notify-bad-query");
    const u = await as(user.id, workspace.id);
    for (const [qs, field] of [["?after=yesterday", "after"], ["?before=-1", "before"], ["?limit=0", "limit"], ["?limit=101", "limit"]] as const) {
      const res = await u.list(qs);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.details.issues.map((i) => i.path)).toContain(field);
    }
  });
});

describe("POST /api/v1/notifications/read", () => {
  it("moves the marker forward only, never past the newest event, and counts what is left unread", async () => {
    const { user, workspace } = await createUser("notify-read");
    await runFailed(workspace.id);
    const u = await as(user.id, workspace.id);
    const firstSeq = (await u.list()).body.data[0]!.seq;
    await runFailed(workspace.id, "code-reviewer"); // another agent: its own line
    const marked = await u.read(firstSeq);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ readUpTo: firstSeq, unreadCount: 1 });
    const listed = await u.list();
    expect(listed.body.data.map((n) => n.unread)).toEqual([true, false]);
    expect(listed.body.readUpTo).toBe(firstSeq);

    expect((await u.read(0)).body).toEqual({ readUpTo: firstSeq, unreadCount: 1 }); // never back
    const last = await lastEventSeq(workspace.id);
    expect((await u.read(last + 1000)).body).toEqual({ readUpTo: last, unreadCount: 0 }); // clamped: later events stay unread
    await runFailed(workspace.id, "doc-writer");
    expect((await u.list()).body.unreadCount).toBe(1);

    for (const bad of ["12", -1, 1.5, null]) {
      const res = await u.read(bad);
      expect(res.status, String(bad)).toBe(400);
      expect(res.body!.error.details.issues.map((i) => i.path)).toContain("upTo");
    }
  });
});

describe("/api/v1/me/notification-preferences", () => {
  it("turns categories off and on; muted ones leave the list and the count; money alerts always come and cannot be turned off", async () => {
    const { user, workspace } = await createUser("notify-prefs");
    const u = await as(user.id, workspace.id);
    const initial = await u.prefs();
    expect(initial.status).toBe(200);
    const cats = (initial.body as unknown as { categories: { category: string; enabled: boolean; alwaysOn: boolean }[] }).categories;
    expect(cats.every((c) => c.enabled)).toBe(true);
    expect(cats.find((c) => c.category === "money")).toMatchObject({ alwaysOn: true });

    await runFailed(workspace.id);
    await emit(workspace.id, "balance.low", { availableMicros: 1, postedMicros: 1, heldMicros: 0, thresholdMicros: LOW_BALANCE_MICROS });
    const off = await u.setPrefs({ categories: { runs: false, bids: false } });
    expect(off.status).toBe(200);
    const offCats = (off.body as unknown as typeof initial.body & { categories: typeof cats }).categories;
    expect(offCats.filter((c) => !c.enabled).map((c) => c.category).sort()).toEqual(["bids", "runs"]);
    const muted = await u.list();
    expect(muted.body.data.map((n) => n.type)).toEqual(["balance.low"]);
    expect(muted.body.unreadCount).toBe(1);

    await u.setPrefs({ categories: { runs: true } }); // bids stay off
    expect(((await u.prefs()).body as unknown as { categories: typeof cats }).categories.filter((c) => !c.enabled).map((c) => c.category)).toEqual(["bids"]);
    expect((await u.list()).body.data.map((n) => n.type)).toEqual(["balance.low", "run.failed"]);

    const money = await u.setPrefs({ categories: { money: false } });
    expect(money.status).toBe(400);
    expect(money.body!.error.details.issues.map((i) => i.path)).toContain("categories.money");
    const unknown = await u.setPrefs({ categories: { weather: false } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body!.error)).toMatch(/weather/);
    expect((await u.setPrefs({ categories: { runs: "no" } })).body!.error.details.issues.map((i) => i.path)).toContain("categories.runs");
    // The refused writes changed nothing.
    expect(((await u.prefs()).body as unknown as { categories: typeof cats }).categories.filter((c) => !c.enabled).map((c) => c.category)).toEqual(["bids"]);
  });
});
