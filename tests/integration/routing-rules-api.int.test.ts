import { beforeAll, describe, expect, it } from "vitest";
import * as ruleRoute from "@/app/api/v1/routing-rules/[id]/route";
import * as rulesRoute from "@/app/api/v1/routing-rules/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// /api/v1/routing-rules through the real handlers: create, list in order, edit,
// move, delete, validation, isolation, and concurrent creates keeping positions 1..n.

type Rule = { id: string; name: string; position: number; team: string; urgency: string; enabled: boolean };

let auth: Record<string, string>;
let other: Record<string, string>;
let workspaceId: string;
beforeAll(async () => {
  const a = await createUser("rules-a", { tier: "enterprise" });
  workspaceId = a.workspace.id;
  auth = { authorization: `Bearer ${(await createApiKey(a.principal, { name: "rules" })).secret}` };
  const b = await createUser("rules-b", { tier: "enterprise" });
  other = { cookie: await sessionCookie(b.user.id) };
});

const create = (body: unknown, headers = auth) => callRoute(rulesRoute.POST, { method: "POST", body: JSON.stringify(body), headers });
const list = async (headers = auth) => ((await callRoute(rulesRoute.GET, { headers })).body as unknown as { data: Rule[] }).data;
const rule = (name: string) => ({ name, conditions: [{ field: "text", op: "contains", value: name }], team: `team-${name}`, urgency: "HIGH" });

describe("routing rules API", () => {
  it("creates rules at the end, lists them in order, edits, moves and deletes them", async () => {
    for (const n of ["a", "b", "c"]) expect((await create(rule(n))).status).toBe(201);
    expect((await list()).map((r) => [r.name, r.position])).toEqual([["a", 1], ["b", 2], ["c", 3]]);
    const c = (await list())[2]!;
    const moved = await callRoute(ruleRoute.PATCH, { method: "PATCH", params: { id: c.id }, body: JSON.stringify({ position: 1, enabled: false, urgency: "LOW" }), headers: auth });
    expect(moved.body).toMatchObject({ position: 1, enabled: false, urgency: "LOW" });
    expect((await list()).map((r) => [r.name, r.position])).toEqual([["c", 1], ["a", 2], ["b", 3]]);
    const a = (await list())[1]!;
    expect((await callRoute(ruleRoute.DELETE, { method: "DELETE", params: { id: a.id }, headers: auth })).status).toBe(204);
    expect((await list()).map((r) => [r.name, r.position])).toEqual([["c", 1], ["b", 2]]);
  });

  it("refuses bad rules with field paths and writes nothing", async () => {
    const before = await getDb().routingRule.count({ where: { workspaceId } });
    const res = await create({ name: "", conditions: [{ field: "password", op: "matches", value: "" }], team: "x", urgency: "SOON" });
    expect(res.status).toBe(400);
    expect(res.body!.error.details.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["name", "conditions.0.field", "conditions.0.op", "conditions.0.value", "urgency"]));
    const empty = await callRoute(ruleRoute.PATCH, { method: "PATCH", params: { id: "x" }, body: "{}", headers: auth });
    expect(empty.status).toBe(400);
    expect(await getDb().routingRule.count({ where: { workspaceId } })).toBe(before);
  });

  it("keeps workspaces apart", async () => {
    const mine = (await list())[0]!;
    expect(await list(other)).toEqual([]);
    expect((await callRoute(ruleRoute.PATCH, { method: "PATCH", params: { id: mine.id }, body: JSON.stringify({ team: "stolen" }), headers: other })).status).toBe(404);
    expect((await callRoute(ruleRoute.DELETE, { method: "DELETE", params: { id: mine.id }, headers: other })).status).toBe(404);
    expect((await list())[0]!.team).toBe(mine.team);
  });

  it("concurrent creates get distinct positions 1..n", async () => {
    const before = (await list()).length;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => create(rule(`p${i}`))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect((await list()).map((r) => r.position)).toEqual(Array.from({ length: before + 8 }, (_, i) => i + 1));
  });
});
