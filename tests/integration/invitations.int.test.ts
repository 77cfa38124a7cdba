import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as acceptRoute from "@/app/api/v1/invitations/accept/route";
import * as invitationRoute from "@/app/api/v1/workspace/invitations/[id]/route";
import * as invitationsRoute from "@/app/api/v1/workspace/invitations/route";
import * as memberRoute from "@/app/api/v1/workspace/members/[userId]/route";
import * as membersRoute from "@/app/api/v1/workspace/members/route";
import { hashAccountToken } from "@/lib/accounts/account-tokens";
import { signUp } from "@/lib/accounts/sign-up";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { principalFromUser } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { INVITATIONS_PER_WORKSPACE_PER_DAY } from "@/lib/invitations/invitations";
import { changeMemberRole, removeMember } from "@/lib/workspaces/members";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, joinWorkspace, TEST_APP_URL, uniqueEmail } from "../helpers/factories";
import { waitForMail } from "../helpers/mailbox";

type User = Awaited<ReturnType<typeof createUser>>;

const json = (body: unknown) => JSON.stringify(body);

async function invite(owner: User, email: string, role: "OWNER" | "MEMBER" = "MEMBER") {
  const headers = { cookie: await sessionCookie(owner.user.id), host: "agora.example" };
  return callRoute(invitationsRoute.POST, { method: "POST", body: json({ email, role }), headers });
}

/** Invites `email` and returns the token from the link in the mail it received. */
async function inviteAndReadMail(owner: User, email: string, role: "OWNER" | "MEMBER" = "MEMBER") {
  const res = await invite(owner, email, role);
  expect(res.status, json(res.body)).toBe(201);
  const { id } = res.body as unknown as { id: string };
  const mail = await waitForMail(email, /invited you to/);
  const token = new URL(mail.link!).pathname.split("/").pop()!;
  // The mail carries the token; the database only its hash.
  expect((await db.invitation.findUniqueOrThrow({ where: { id } })).tokenHash).toBe(hashAccountToken(token));
  return { id, token, mail };
}

async function accept(userId: string, token: string) {
  return callRoute(acceptRoute.POST, { method: "POST", body: json({ token }), headers: { cookie: await sessionCookie(userId) } });
}

const statusOf = (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : 500));

describe("invitations", () => {
  it("answers the same for an address with an account and one without, naming no user", async () => {
    const owner = await createUser("inv-owner");
    const registered = await createUser("rita");
    await db.user.update({ where: { id: registered.user.id }, data: { name: "Registered Rita" } });
    const withAccount = await invite(owner, registered.email);
    const withoutAccount = await invite(owner, uniqueEmail("nobody"));
    expect([withAccount.status, withoutAccount.status]).toEqual([201, 201]);
    const shape = (b: unknown) => ({ ...(b as object), id: "·", email: "·", createdAt: "·", expiresAt: "·" });
    expect(shape(withAccount.body)).toEqual(shape(withoutAccount.body));
    expect(Object.keys(withAccount.body!).sort()).toEqual(["createdAt", "email", "expiresAt", "id", "role", "status"]);
    expect(withAccount.body).toMatchObject({ email: registered.email, role: "MEMBER", status: "pending" });
    expect(json(withAccount.body)).not.toContain(registered.user.id);
    expect(json(withAccount.body)).not.toContain("Registered Rita");
    // Nobody joined: the registered user is not a member until they accept.
    expect(await db.membership.count({ where: { workspaceId: owner.workspace.id } })).toBe(1);
    // The old add-by-e-mail endpoint, which answered with the user's id and name, is gone.
    expect("POST" in membersRoute).toBe(false);
    expect(await db.auditLog.count({ where: { workspaceId: owner.workspace.id, action: "invitation.created" } })).toBe(2);
  });

  it("the invitee follows the mailed link, signs up and accepts: a member with the invited role, in that workspace", async () => {
    const owner = await createUser("olga");
    await db.user.update({ where: { id: owner.user.id }, data: { name: "Olga Owner" } });
    const email = uniqueEmail("invitee");
    expect((await invite(owner, email.toUpperCase())).body).toMatchObject({ email }); // addresses are compared lower-cased
    const mail = await waitForMail(email, /invited you to/);
    expect(mail.subject).toBe(`Olga Owner invited you to ${owner.workspace.name} on Agora`);
    const token = new URL(mail.link!).pathname.split("/").pop()!;
    expect(mail.link).toBe(`http://agora.example/invitations/${token}`); // the app's URL (NEXTAUTH_URL, unset here: the Host)

    const { user } = await signUp({ email, password: "invitee password", name: "Ivy" }, { ip: null, baseUrl: TEST_APP_URL });
    const res = await accept(user.id, token);
    expect(res.status, json(res.body)).toBe(200);
    expect(res.body).toEqual({ workspace: { id: owner.workspace.id, name: owner.workspace.name }, role: "MEMBER" });
    expect(res.headers.get("set-cookie")).toContain(`agora-workspace=${owner.workspace.id}`);
    expect(await principalFromUser(user.id, owner.workspace.id)).toMatchObject({ role: "MEMBER", workspace: { id: owner.workspace.id } });
    // Accepting again (a second click, a reload) answers the same.
    expect((await accept(user.id, token)).body).toEqual(res.body);
    expect(await db.auditLog.count({ where: { workspaceId: owner.workspace.id, action: "invitation.accepted", actorUserId: user.id } })).toBe(1);
  });

  it("an existing account accepts an owner invitation; a member invited again is a 409", async () => {
    const owner = await createUser("inv-owner2");
    const invitee = await createUser("inv-existing");
    const { token } = await inviteAndReadMail(owner, invitee.email, "OWNER");
    expect((await accept(invitee.user.id, token)).body).toMatchObject({ role: "OWNER" });
    const again = await invite(owner, invitee.email);
    expect(again.status).toBe(409);
    expect(again.body?.error.message).toBe("This address is already a member of this workspace.");
  });

  it("revoked, expired, replaced and already-used links are 410; a made-up one is a 404", async () => {
    const owner = await createUser("inv-gone");
    const emails = [uniqueEmail("revoked"), uniqueEmail("expired"), uniqueEmail("used"), uniqueEmail("replaced")];
    const [revoked, expired, used, replaced] = await Promise.all(emails.map((e) => inviteAndReadMail(owner, e)));
    const [rUser, eUser, uUser, pUser] = await Promise.all(emails.map((email) => signUp({ email, password: "long enough pw", name: "N" }, { ip: null, baseUrl: TEST_APP_URL }).then((r) => r.user)));

    const cookie = await sessionCookie(owner.user.id);
    expect((await callRoute(invitationRoute.DELETE, { method: "DELETE", params: { id: revoked!.id }, headers: { cookie } })).status).toBe(204);
    await db.invitation.update({ where: { id: expired!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await accept(uUser!.id, used!.token)).status).toBe(200);
    const newer = await inviteAndReadMail(owner, emails[3]!);
    expect(newer.token).not.toBe(replaced!.token);

    const cases = [
      [rUser!.id, revoked!.token, /withdrawn/],
      [eUser!.id, expired!.token, /expired/],
      [(await createUser("link-holder")).user.id, used!.token, /already accepted/],
      [pUser!.id, replaced!.token, /withdrawn/],
    ] as const;
    for (const [userId, token, message] of cases) {
      const res = await accept(userId, token);
      expect(res.status, json(res.body)).toBe(410);
      expect(res.body?.error).toMatchObject({ code: "gone", message: expect.stringMatching(message) });
    }
    expect((await accept(pUser!.id, newer.token)).status).toBe(200);
    expect((await accept(rUser!.id, randomBytes(32).toString("base64url"))).status).toBe(404);
    expect((await accept(rUser!.id, "short")).status).toBe(404);
    expect(await db.membership.count({ where: { workspaceId: owner.workspace.id } })).toBe(3); // owner, used, replaced
    // Revoking what is no longer pending: an accepted one is a 409, another workspace's a 404.
    expect((await callRoute(invitationRoute.DELETE, { method: "DELETE", params: { id: used!.id }, headers: { cookie } })).status).toBe(409);
    const stranger = await createUser("inv-stranger");
    const foreign = await callRoute(invitationRoute.DELETE, { method: "DELETE", params: { id: newer.id }, headers: { cookie: await sessionCookie(stranger.user.id) } });
    expect(foreign.status).toBe(404);
  });

  it("a removed member cannot use their accepted link to come back", async () => {
    const owner = await createUser("inv-remover");
    const invitee = await createUser("inv-removed");
    const { token } = await inviteAndReadMail(owner, invitee.email);
    expect((await accept(invitee.user.id, token)).status).toBe(200);
    await removeMember(owner.principal, invitee.user.id);
    const back = await accept(invitee.user.id, token);
    expect(back.status).toBe(410);
    expect(await db.membership.count({ where: { workspaceId: owner.workspace.id, userId: invitee.user.id } })).toBe(0);
  });

  it("only the invited address can accept; the link stays usable for it", async () => {
    const owner = await createUser("inv-match");
    const email = uniqueEmail("intended");
    const { token } = await inviteAndReadMail(owner, email);
    const other = await createUser("inv-forwarded");
    const refused = await accept(other.user.id, token);
    expect(refused.status).toBe(403);
    expect(refused.body?.error.message).toBe(`This invitation is for ${email}; sign in with that address to accept it.`);
    expect(await db.membership.count({ where: { workspaceId: owner.workspace.id, userId: other.user.id } })).toBe(0);
    const { user } = await signUp({ email, password: "long enough pw", name: "Intended" }, { ip: null, baseUrl: TEST_APP_URL });
    expect((await accept(user.id, token)).status).toBe(200);
  });

  it("refuses a MEMBER and an API key (403) for invitations and roles; an API key cannot accept", async () => {
    const owner = await createUser("inv-perm-owner");
    const member = await createUser("inv-perm-member");
    await joinWorkspace(member.user.id, owner.workspace.id);
    const { id, token } = await inviteAndReadMail(owner, uniqueEmail("perm"));
    const key = await createApiKey(owner.principal, { name: "bot" });
    const callers = { member: { cookie: await sessionCookie(member.user.id, owner.workspace.id) }, key: { authorization: `Bearer ${key.secret}` } };
    for (const [who, headers] of Object.entries(callers)) {
      const attempts = [
        await callRoute(invitationsRoute.POST, { method: "POST", body: json({ email: uniqueEmail("x"), role: "OWNER" }), headers }),
        await callRoute(invitationsRoute.GET, { headers }),
        await callRoute(invitationRoute.DELETE, { method: "DELETE", params: { id }, headers }),
        await callRoute(memberRoute.PATCH, { method: "PATCH", params: { userId: member.user.id }, body: json({ role: "OWNER" }), headers }),
      ];
      expect(attempts.map((r) => r.status), who).toEqual([403, 403, 403, 403]);
    }
    expect((await callRoute(acceptRoute.POST, { method: "POST", body: json({ token }), headers: callers.key })).status).toBe(403);
    expect(await db.invitation.count({ where: { workspaceId: owner.workspace.id } })).toBe(1);
    expect((await principalFromUser(member.user.id, owner.workspace.id)).role).toBe("MEMBER");
  });

  it("lists pending invitations newest first, a page at a time", async () => {
    const owner = await createUser("inv-list");
    const emails = [uniqueEmail("l1"), uniqueEmail("l2"), uniqueEmail("l3"), uniqueEmail("l4")];
    for (const email of emails) expect((await invite(owner, email)).status).toBe(201);
    const revoked = await db.invitation.findFirstOrThrow({ where: { workspaceId: owner.workspace.id, email: emails[3] } });
    await db.invitation.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const cookie = await sessionCookie(owner.user.id);
    const first = await callRoute(invitationsRoute.GET, { path: "/api/v1/workspace/invitations?limit=2", headers: { cookie } });
    expect((first.body as unknown as { data: { email: string }[] }).data.map((i) => i.email)).toEqual([emails[2], emails[1]]);
    const cursor = (first.body as unknown as { nextCursor: string }).nextCursor;
    const second = await callRoute(invitationsRoute.GET, { path: `/api/v1/workspace/invitations?limit=2&cursor=${cursor}`, headers: { cookie } });
    expect(second.body).toMatchObject({ data: [{ email: emails[0], status: "pending" }], nextCursor: null });
  });

  it(`caps a workspace at ${INVITATIONS_PER_WORKSPACE_PER_DAY} invitations a day (429), writing nothing more`, async () => {
    const owner = await createUser("inv-spam");
    await db.invitation.createMany({
      data: Array.from({ length: INVITATIONS_PER_WORKSPACE_PER_DAY }, (_, i) => ({
        workspaceId: owner.workspace.id,
        email: `bulk-${i}-${owner.workspace.id}@test.agora.dev`,
        tokenHash: randomBytes(32).toString("hex"),
        invitedById: owner.user.id,
        expiresAt: new Date(Date.now() + 60_000),
      })),
    });
    const email = uniqueEmail("one-too-many");
    const res = await invite(owner, email);
    expect(res.status).toBe(429);
    expect(res.body?.error.code).toBe("rate_limited");
    expect(await db.invitation.count({ where: { workspaceId: owner.workspace.id } })).toBe(INVITATIONS_PER_WORKSPACE_PER_DAY);
    // A day later the older ones no longer count.
    await db.invitation.updateMany({ where: { workspaceId: owner.workspace.id }, data: { createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) } });
    expect((await invite(owner, email)).status).toBe(201);
  });
});

describe("member roles", () => {
  it("owners promote and demote with PATCH; the last owner cannot be demoted (409)", async () => {
    const owner = await createUser("role-owner");
    const member = await createUser("role-member");
    await joinWorkspace(member.user.id, owner.workspace.id);
    const cookie = await sessionCookie(owner.user.id);
    const patch = (userId: string, role: string) => callRoute(memberRoute.PATCH, { method: "PATCH", params: { userId }, body: json({ role }), headers: { cookie } });

    const promoted = await patch(member.user.id, "OWNER");
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ userId: member.user.id, email: member.email, role: "OWNER" });
    expect((await patch(member.user.id, "MEMBER")).body).toMatchObject({ role: "MEMBER" });

    const lastOwner = await patch(owner.user.id, "MEMBER");
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body?.error.message).toMatch(/at least one owner/);
    expect((await patch(member.user.id, "ADMIN")).status).toBe(400);
    expect((await patch("no-such-user", "OWNER")).status).toBe(404);
    expect(await db.auditLog.count({ where: { workspaceId: owner.workspace.id, action: "membership.role_changed", target: member.user.id } })).toBe(2);
  });

  it("two owners demoting each other at once leave exactly one owner", async () => {
    for (let round = 0; round < 3; round++) {
      const a = await createUser("race-a");
      const b = await createUser("race-b");
      const asB = await joinWorkspace(b.user.id, a.workspace.id, "OWNER");
      const results = await Promise.all([statusOf(changeMemberRole(a.principal, b.user.id, "MEMBER")), statusOf(changeMemberRole(asB, a.user.id, "MEMBER"))]);
      expect(results.filter((s) => s === 200)).toHaveLength(1);
      expect(await db.membership.count({ where: { workspaceId: a.workspace.id, role: "OWNER" } })).toBe(1);
    }
  });
});
