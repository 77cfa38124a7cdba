import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as approveRoute from "@/app/api/v1/admin/reviews/[id]/approve/route";
import * as keyRoute from "@/app/api/v1/keys/[id]/route";
import * as keysRoute from "@/app/api/v1/keys/route";
import * as packagesRoute from "@/app/api/v1/provider/packages/route";
import * as submitRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/submit/route";
import * as validateRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/validate/route";
import * as versionRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/route";
import * as yankRoute from "@/app/api/v1/provider/packages/[slug]/versions/[version]/yank/route";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as quoteRoute from "@/app/api/v1/runs/quote/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as pinsRoute from "@/app/api/v1/workspace/pins/route";
import { getDb } from "@/lib/db/client";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { saveWorkspaceProvider } from "@/lib/providers/providers";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute as callRouteRaw, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace } from "../helpers/factories";
import { workspaceSettled } from "../helpers/run-harness";

// Issue 20 acceptance (pinning): through the real API routes — a workspace pin and an API
// key's pin to 1 keep runs on the newest 1.x while 2.0.0 is published; slug@2 gets 2.0.0;
// an incompatible input change without a major bump is refused at validate, submit and
// approve with the diff; a pin to a version that does not exist is a 400 naming it; a yanked
// exact pin runs with a deprecation notice in the run, its quote and its detail.

const db = getDb();
const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const callRoute = async (...args: Parameters<typeof callRouteRaw>) => (await callRouteRaw(...args)) as { status: number; body: Body | null };
const as = (auth: Record<string, string>) => ({ headers: auth });
const cookieOf = (cookie: string) => ({ cookie });

beforeAll(async () => {
  await startRunWorker("all");
});

// ---- publishing through the provider and admin routes ----
const S1 = EXAMPLE_MANIFEST.inputSchema;
const withNote = (required: string[]) => ({ type: "object", properties: { csv: S1.properties.csv, note: { type: "string" } }, required, additionalProperties: false });
const manifest = (slug: string, version: string, inputSchema: object = S1, exampleInput: object = EXAMPLE_MANIFEST.exampleInput): Body => ({ ...structuredClone(EXAMPLE_MANIFEST), slug, version, inputSchema, exampleInput });
const vpath = (slug: string, version: string, action = "") => `/api/v1/provider/packages/${slug}/versions/${version}${action}`;
const act = (route: { POST: Parameters<typeof callRoute>[0] }, name: string) => (cookie: string, slug: string, version: string, body: Body = {}) =>
  callRoute(route.POST, { method: "POST", path: vpath(slug, version, `/${name}`), params: { slug, version }, body: JSON.stringify(body), ...as(cookieOf(cookie)) });
const validate = act(validateRoute, "validate");
const submit = act(submitRoute, "submit");
const yank = act(yankRoute, "yank");

async function setup() {
  const owner = await createUser("pins-provider");
  await saveWorkspaceProvider(owner.principal, { name: "Pins Labs", slug: unique("pins-labs") }, null);
  const reviewer = await createUser("pins-reviewer");
  await db.user.update({ where: { id: reviewer.user.id }, data: { isAdmin: true } });
  const provider = await sessionCookie(owner.user.id, owner.workspace.id);
  const admin = await sessionCookie(reviewer.user.id, reviewer.workspace.id);
  const create = async (body: Body) => {
    const res = await callRoute(packagesRoute.POST, { method: "POST", path: "/api/v1/provider/packages", body: JSON.stringify(body), ...as(cookieOf(provider)) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body!.version.id as string;
  };
  const approve = (id: string) => callRoute(approveRoute.POST, { method: "POST", path: `/api/v1/admin/reviews/${id}/approve`, params: { id }, body: "{}", ...as(cookieOf(admin)) });
  const publish = async (body: Body) => {
    const id = await create(body);
    expect((await validate(provider, body.slug, body.version)).status).toBe(200);
    expect((await submit(provider, body.slug, body.version)).status).toBe(200);
    const approved = await approve(id);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  };
  return { provider, create, approve, publish };
}

// ---- the consumer side ----
async function consumer(label: string) {
  const u = await createUser(label, { tier: "enterprise" });
  const cookie = await sessionCookie(u.user.id, u.workspace.id);
  return { ...u, cookie };
}
const getPins = (auth: Record<string, string>) => callRoute(pinsRoute.GET, { path: "/api/v1/workspace/pins", ...as(auth) });
const putPins = (auth: Record<string, string>, pins: unknown) => callRoute(pinsRoute.PUT, { method: "PUT", path: "/api/v1/workspace/pins", body: JSON.stringify({ pins }), ...as(auth) });
const createKey = (cookie: string, body: Body) => callRoute(keysRoute.POST, { method: "POST", path: "/api/v1/keys", body: JSON.stringify(body), ...as(cookieOf(cookie)) });
const patchKey = (cookie: string, id: string, body: Body) => callRoute(keyRoute.PATCH, { method: "PATCH", path: `/api/v1/keys/${id}`, params: { id }, body: JSON.stringify(body), ...as(cookieOf(cookie)) });
const startRun = (auth: Record<string, string>, agent: string, input: object = EXAMPLE_MANIFEST.exampleInput) =>
  callRoute(runsRoute.POST, { method: "POST", path: "/api/v1/runs", body: JSON.stringify({ agent, input }), ...as(auth) });
const quote = (auth: Record<string, string>, agent: string, input: object = EXAMPLE_MANIFEST.exampleInput) =>
  callRoute(quoteRoute.POST, { method: "POST", path: "/api/v1/runs/quote", body: JSON.stringify({ agent, input }), ...as(auth) });
const getRunDetail = (auth: Record<string, string>, id: string) => callRoute(runRoute.GET, { path: `/api/v1/runs/${id}`, params: { id }, ...as(auth) });
/** The version a run was accepted with, as its response says and as the database recorded it. */
async function ranVersion(res: { status: number; body: Body | null }) {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const row = await db.run.findUniqueOrThrow({ where: { id: res.body!.id }, select: { packageVersion: true } });
  expect(res.body!.agentVersion).toBe(row.packageVersion);
  return row.packageVersion;
}

describe("version pins and the breaking-change rule (issue 20 acceptance)", () => {
  it("keeps pinned runs on 1.x while 2.0.0 is published; refuses a breaking 1.x; a yanked exact pin runs with a notice", async () => {
    const p = await setup();
    const slug = unique("pin-csv");
    const note = { csv: "a,b\n1,2\n", note: "monthly" };
    await p.publish(manifest(slug, "1.0.0"));

    const a = await consumer("pins-ws");
    const ws = cookieOf(a.cookie);
    expect((await putPins(ws, { [slug]: "1" })).body).toEqual({ pins: { [slug]: "1" }, resolved: [{ slug, range: "1", version: "1.0.0", status: "PUBLISHED", yankReason: null }] });
    const wsKey = await createKey(a.cookie, { name: "ci" }); // no pins of its own: the workspace's apply
    const wsKeyAuth = { authorization: `Bearer ${wsKey.body!.secret}` };
    expect(await ranVersion(await startRun(wsKeyAuth, slug))).toBe("1.0.0"); // the key's principal is cached from here

    const b = await consumer("pins-key");
    const keyed = await createKey(b.cookie, { name: "pinned", pins: { [slug]: "1" } });
    expect(keyed.status, JSON.stringify(keyed.body)).toBe(201);
    expect(keyed.body!.pins).toEqual({ [slug]: "1" });
    const keyAuth = { authorization: `Bearer ${keyed.body!.secret}` };

    // 1.1.0 adds an optional field (compatible: a minor bump is fine); 1.2.0 is validated and submitted
    // against 1.0.0 while 1.1.0 waits for review — without 1.1.0's field, which the approval re-check catches.
    const v110 = manifest(slug, "1.1.0", withNote(["csv"]));
    const v110Id = await p.create(v110);
    expect((await validate(p.provider, slug, "1.1.0")).status).toBe(200);
    expect((await submit(p.provider, slug, "1.1.0")).status).toBe(200);
    const v120Id = await p.create(manifest(slug, "1.2.0"));
    expect((await validate(p.provider, slug, "1.2.0")).status).toBe(200);
    expect((await submit(p.provider, slug, "1.2.0")).status).toBe(200);
    expect((await p.approve(v110Id)).status).toBe(200);
    const late = await p.approve(v120Id);
    expect(late.status).toBe(400);
    expect(late.body!.error.details).toEqual({ previous: "1.1.0", changes: [{ path: "/properties/note", change: "property_removed", before: { type: "string" }, after: null }] });
    expect(late.body!.error.message).toContain("/properties/note was removed since 1.1.0");
    expect(late.body!.error.message).toContain("2.0.0");
    expect((await db.agentPackage.findUniqueOrThrow({ where: { id: v120Id } })).status).toBe("SUBMITTED"); // nothing written

    // 1.3.0 makes the optional field required: refused at validate with the diff, the version untouched.
    await p.create(manifest(slug, "1.3.0", withNote(["csv", "note"]), note));
    const refused = await validate(p.provider, slug, "1.3.0");
    expect(refused.status).toBe(400);
    expect(refused.body!.error).toMatchObject({
      code: "validation_failed",
      message: expect.stringMatching(/^Input schema: \/properties\/note is now required since 1\.1\.0\. An incompatible input change needs a major version: publish it as 2\.0\.0/),
      details: { previous: "1.1.0", changes: [{ path: "/properties/note", change: "property_required", before: false, after: true }] },
    });
    expect((await db.agentPackage.findFirstOrThrow({ where: { slug, version: "1.3.0" } })).status).toBe("DRAFT");
    // An edit that stays compatible validates.
    const fixed = await callRoute(versionRoute.PUT, { method: "PUT", path: vpath(slug, "1.3.0"), params: { slug, version: "1.3.0" }, body: JSON.stringify(manifest(slug, "1.3.0", withNote(["csv"]))), ...as(cookieOf(p.provider)) });
    expect(fixed.status).toBe(200);
    expect((await validate(p.provider, slug, "1.3.0")).status).toBe(200);

    // The same change as a major version passes.
    await p.publish(manifest(slug, "2.0.0", withNote(["csv", "note"]), note));

    // Pinned callers stay on the newest published 1.x, whichever way they are pinned; the request's own range wins.
    expect(await ranVersion(await startRun(ws, slug))).toBe("1.1.0");
    expect(await ranVersion(await startRun(wsKeyAuth, slug))).toBe("1.1.0");
    expect(await ranVersion(await startRun(keyAuth, slug))).toBe("1.1.0");
    expect(await ranVersion(await startRun(keyAuth, `${slug}@2`, note))).toBe("2.0.0");
    expect(await ranVersion(await startRun(ws, `${slug}@2`, note))).toBe("2.0.0");
    expect(await ranVersion(await startRun(cookieOf((await consumer("pins-none")).cookie), slug, note))).toBe("2.0.0");
    expect((await getPins(ws)).body!.resolved).toEqual([{ slug, range: "1", version: "1.1.0", status: "PUBLISHED", yankReason: null }]);

    // A later breaking change needs the next major again: 2.1.0 is refused against 2.0.0, 3.0.0 passes.
    const dropsNote = withNote(["csv"]);
    delete (dropsNote.properties as Body).note;
    await p.create(manifest(slug, "2.1.0", dropsNote));
    const again = await validate(p.provider, slug, "2.1.0");
    expect(again.body!.error.details).toMatchObject({ previous: "2.0.0", changes: [{ path: "/properties/note", change: "property_removed" }] });
    await p.publish(manifest(slug, "3.0.0", dropsNote));

    // Unpinning (the workspace's pins replaced by none) reaches the cached key principal at once.
    expect((await putPins(ws, {})).body).toEqual({ pins: {}, resolved: [] });
    expect(await ranVersion(await startRun(wsKeyAuth, slug))).toBe("3.0.0");

    // A key's pins replaced by PATCH: an exact pin to a yanked version runs, with the notice.
    expect((await yank(p.provider, slug, "1.0.0", { reason: "wrong totals" })).status).toBe(200);
    const patched = await patchKey(b.cookie, keyed.body!.id, { pins: { [slug]: "1.0.0" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body!.pins).toEqual({ [slug]: "1.0.0" });
    const notice = { version: "1.0.0", message: `${slug}@1.0.0 was yanked by its provider: wrong totals. Move your pin to a published version.` };
    expect((await quote(keyAuth, slug)).body).toMatchObject({ version: "1.0.0", deprecation: notice });
    const yankedRun = await startRun(keyAuth, slug);
    expect(await ranVersion(yankedRun)).toBe("1.0.0");
    expect(yankedRun.body!.deprecation).toEqual(notice);
    expect((await getRunDetail(keyAuth, yankedRun.body!.id)).body!.deprecation).toEqual(notice);
    const list = await callRoute(runsRoute.GET, { path: `/api/v1/runs?agent=${slug}`, ...as(keyAuth) });
    expect(list.body!.data.map((r: Body) => [r.agentVersion, r.deprecation?.version ?? null])).toEqual([["1.0.0", "1.0.0"], ["2.0.0", null], ["1.1.0", null]]);
    const queued = await db.runEvent.findFirstOrThrow({ where: { runId: yankedRun.body!.id }, orderBy: { seq: "asc" } });
    expect(queued.data).toMatchObject({ status: "QUEUED", version: "1.0.0", deprecation: notice });

    // The runs ran the versions they were accepted with.
    await Promise.all([a, b].map((c) => workspaceSettled(c.workspace.id)));
    const ran = await db.run.findMany({ where: { workspaceId: b.workspace.id }, select: { packageVersion: true, status: true }, orderBy: { createdAt: "asc" } });
    expect(ran).toEqual([
      { packageVersion: "1.1.0", status: "SUCCEEDED" },
      { packageVersion: "2.0.0", status: "SUCCEEDED" },
      { packageVersion: "1.0.0", status: "SUCCEEDED" },
    ]);
  });

  it("refuses pins that do not resolve, naming the slug and range, and writes nothing", async () => {
    const p = await setup();
    const slug = unique("pin-bad");
    await p.publish(manifest(slug, "1.0.0"));
    const a = await consumer("pins-bad");
    const ws = cookieOf(a.cookie);
    expect((await putPins(ws, { [slug]: "1.0" })).status).toBe(200);

    const missingVersion = await putPins(ws, { [slug]: "1.4.2" });
    expect(missingVersion.status).toBe(400);
    expect(missingVersion.body!.error).toMatchObject({ code: "validation_failed", message: `Pin ${slug}@1.4.2: ${slug} has no version 1.4.2 (it has 1.0.0).`, details: { issues: [{ path: `pins.${slug}` }] } });
    const missingMajor = await putPins(ws, { [slug]: "3" });
    expect(missingMajor.body!.error.message).toBe(`Pin ${slug}@3: ${slug} has no version 3.x (it has 1.0.0).`);
    const unknown = `no-such-${randomUUID().slice(0, 8)}`;
    const missingSlug = await putPins(ws, { [slug]: "1", [unknown]: "1" });
    expect(missingSlug.status).toBe(400);
    expect(missingSlug.body!.error.message).toBe(`Pin ${unknown}@1: there is no published package '${unknown}'.`);
    const badRange = await putPins(ws, { [slug]: "^1" });
    expect(badRange.status).toBe(400);
    expect(badRange.body!.error.message).toContain(`Pin ${slug}@^1: '^1' is not a version or range`);
    const tooMany = await putPins(ws, Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`pkg-${i}`, "1"])));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body!.error.message).toContain("At most 100 pins");
    expect((await putPins(ws, "1")).status).toBe(400);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspace.id } })).packagePins).toEqual({ [slug]: "1.0" });

    // Keys: the same checks on create and on PATCH; nothing written.
    const refusedKey = await createKey(a.cookie, { name: "bad", pins: { [slug]: "2" } });
    expect(refusedKey.status).toBe(400);
    expect(refusedKey.body!.error.message).toContain(`Pin ${slug}@2`);
    expect(await db.apiKey.count({ where: { workspaceId: a.workspace.id } })).toBe(0);
    const key = await createKey(a.cookie, { name: "ok" });
    expect(key.body!.pins).toEqual({});
    expect((await patchKey(a.cookie, key.body!.id, { pins: { [slug]: "9.9.9" } })).status).toBe(400);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.body!.id } })).packagePins).toEqual({});
    // Limits alone leave the pins as they are.
    expect((await patchKey(a.cookie, key.body!.id, { pins: { [slug]: "1" } })).body!.pins).toEqual({ [slug]: "1" });
    expect((await patchKey(a.cookie, key.body!.id, { runsPerHour: 10 })).body).toMatchObject({ runsPerHour: 10, pins: { [slug]: "1" } });
  });

  it("lets members read the pins and only owners change them; audit-logs each change", async () => {
    const p = await setup();
    const slug = unique("pin-perm");
    await p.publish(manifest(slug, "1.0.0"));
    const a = await consumer("pins-owner");
    const member = await createUser("pins-member");
    await joinWorkspace(member.user.id, a.workspace.id);
    const memberAuth = cookieOf(await sessionCookie(member.user.id, a.workspace.id));
    const key = await createKey(a.cookie, { name: "k" });
    const keyAuth = { authorization: `Bearer ${key.body!.secret}` };

    expect((await putPins(cookieOf(a.cookie), { [slug]: "1" })).status).toBe(200);
    expect((await getPins(memberAuth)).body!.pins).toEqual({ [slug]: "1" });
    expect((await getPins(keyAuth)).body!.pins).toEqual({ [slug]: "1" });
    const byMember = await putPins(memberAuth, {});
    expect(byMember.status).toBe(403);
    expect((await putPins(keyAuth, {})).status).toBe(403);
    expect((await db.workspace.findUniqueOrThrow({ where: { id: a.workspace.id } })).packagePins).toEqual({ [slug]: "1" });
    const audit = await db.auditLog.findMany({ where: { workspaceId: a.workspace.id, action: "workspace.pins_changed" } });
    expect(audit.map((e) => e.metadata)).toEqual([{ before: {}, after: { [slug]: "1" } }]);
  });
});
