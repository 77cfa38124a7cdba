import { describe, expect, it } from "vitest";
import { createApiKey, getApiKeyOrThrow, listApiKeys, revokeApiKey } from "@/lib/api-keys/api-keys";
import { principalFromApiKey, principalFromUser } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { listMembers, removeMember } from "@/lib/workspaces/members";
import { createUser, joinWorkspace } from "../helpers/factories";

const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : 500));

describe("API keys", () => {
  it("authenticates as the key's workspace until revoked; the secret is stored only as a hash", async () => {
    const { principal, workspace } = await createUser("keys");
    const key = await createApiKey(principal, { name: "CI" });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(JSON.stringify(row)).not.toContain(key.secret);

    const asKey = await principalFromApiKey(key.secret);
    expect(asKey).toMatchObject({ kind: "api_key", apiKeyId: key.id, workspace: { id: workspace.id } });

    await revokeApiKey(principal, key.id);
    expect(await statusOf(principalFromApiKey(key.secret))).toBe(401);
    expect((await listApiKeys(principal))[0]?.revokedAt).toBeInstanceOf(Date);
    expect(await db.auditLog.count({ where: { target: key.id, action: { in: ["api_key.created", "api_key.revoked"] } } })).toBe(2);
  });

  it("answers 404 for another workspace's key ids, on read and on revoke", async () => {
    const a = await createUser("tenant-a");
    const b = await createUser("tenant-b");
    const bKey = await createApiKey(b.principal, { name: "B's key" });
    expect(await statusOf(getApiKeyOrThrow(a.principal, bKey.id))).toBe(404);
    expect(await statusOf(revokeApiKey(a.principal, bKey.id))).toBe(404);
    expect((await listApiKeys(a.principal)).map((k) => k.id)).not.toContain(bKey.id);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: bKey.id } })).revokedAt).toBeNull();
  });

  it("does not let an API key mint or revoke keys", async () => {
    const { principal } = await createUser("keyless");
    const key = await createApiKey(principal, { name: "bot" });
    const asKey = await principalFromApiKey(key.secret);
    expect(await statusOf(createApiKey(asKey, { name: "escalation" }))).toBe(403);
    expect(await statusOf(revokeApiKey(asKey, key.id))).toBe(403);
  });

  it("lets a member revoke only the keys they created", async () => {
    const owner = await createUser("owner");
    const member = await createUser("member");
    const asMember = await joinWorkspace(member.user.id, owner.workspace.id);
    const ownersKey = await createApiKey(owner.principal, { name: "owner's" });
    const membersKey = await createApiKey(asMember, { name: "member's" });
    expect(await statusOf(revokeApiKey(asMember, ownersKey.id))).toBe(403);
    expect(await statusOf(revokeApiKey(asMember, membersKey.id))).toBe(200);
    expect(await statusOf(revokeApiKey(owner.principal, membersKey.id))).toBe(200); // idempotent
  });
});

describe("members", () => {
  it("lists the workspace's members in the order they joined; a member acts in that workspace", async () => {
    const owner = await createUser("team-owner");
    const other = await createUser("team-member");
    const asMember = await joinWorkspace(other.user.id, owner.workspace.id);
    expect((await listMembers(owner.principal)).map((m) => [m.email, m.role])).toEqual([
      [owner.email, "OWNER"],
      [other.email, "MEMBER"],
    ]);
    expect(asMember).toMatchObject({ role: "MEMBER", workspace: { id: owner.workspace.id } });
  });

  it("refuses member management to MEMBERs with 403", async () => {
    const owner = await createUser("o");
    const member = await createUser("m");
    const asMember = await joinWorkspace(member.user.id, owner.workspace.id);
    expect(await statusOf(removeMember(asMember, owner.user.id))).toBe(403);
    expect(await db.membership.count({ where: { workspaceId: owner.workspace.id } })).toBe(2);
  });

  it("never removes the last owner, even under concurrent removals", async () => {
    const a = await createUser("owner-a");
    const b = await createUser("owner-b");
    const asB = await joinWorkspace(b.user.id, a.workspace.id, "OWNER");
    const results = await Promise.all([statusOf(removeMember(a.principal, b.user.id)), statusOf(removeMember(asB, a.user.id))]);
    // The one removed first is no longer an owner when their own removal runs.
    expect(results.sort()).toEqual([200, 403]);
    const [survivor] = await db.membership.findMany({ where: { workspaceId: a.workspace.id, role: "OWNER" }, select: { userId: true } });
    expect(await db.membership.count({ where: { workspaceId: a.workspace.id, role: "OWNER" } })).toBe(1);
    const asSurvivor = survivor!.userId === a.user.id ? a.principal : asB;
    expect(await statusOf(removeMember(asSurvivor, survivor!.userId))).toBe(409);
  });

  it("falls back to the personal workspace when the preferred one is not theirs", async () => {
    const a = await createUser("home");
    const b = await createUser("stranger");
    const p = await principalFromUser(a.user.id, b.workspace.id);
    expect(p.workspace.id).toBe(a.workspace.id);
  });

  it("stops a disabled user's session at once", async () => {
    const a = await createUser("gone");
    await db.user.update({ where: { id: a.user.id }, data: { disabledAt: new Date() } });
    expect(await statusOf(principalFromUser(a.user.id))).toBe(401);
  });
});
