import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { PATCH as adminUpdateUser } from "@/app/api/v1/admin/users/[id]/route";
import { GET as me } from "@/app/api/v1/me/route";
import { POST as changePassword } from "@/app/api/v1/me/password/route";
import { POST as revokeSessions } from "@/app/api/v1/me/sessions/revoke/route";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/api-keys";
import { buildAuthOptions } from "@/lib/auth/auth-options";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// Revocable sessions (issue 15 §3): a session is a next-auth JWT carrying the
// user's session version; sign out everywhere, password change and disabling
// bump it, and the old cookie is refused on its next request.

const json = (body: unknown) => JSON.stringify(body);
const meWith = (headers: Record<string, string>) => callRoute(me, { path: "/api/v1/me", headers });
/** What next-auth calls when a browser signs out (POST /api/auth/signout): its signOut event with the decoded JWT. */
const signOutWith = (token: JWT) => buildAuthOptions(env()).events!.signOut!({ token } as { token: JWT; session: never });
const versionOf = async (userId: string) => (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { sessionVersion: true } })).sessionVersion;

describe("sign out everywhere", () => {
  it("refuses every earlier session on its next request, and a session signed in afterwards works", async () => {
    const { user } = await createUser("everywhere");
    const legacy = await sessionCookie(user.id); // minted before session versions existed: counts as version 0
    const current = await sessionCookie(user.id, undefined, 0);
    expect((await meWith({ cookie: legacy })).status).toBe(200);
    expect((await meWith({ cookie: current })).status).toBe(200);

    const revoked = await callRoute(revokeSessions, { method: "POST", path: "/api/v1/me/sessions/revoke", headers: { cookie: current } });
    expect(revoked.status).toBe(200);

    for (const cookie of [legacy, current]) {
      const refused = await meWith({ cookie });
      expect(refused.status).toBe(401);
      expect(refused.body?.error.message).toBe("Your session is no longer valid. Sign in again.");
    }
    expect((await meWith({ cookie: await sessionCookie(user.id, undefined, await versionOf(user.id)) })).status).toBe(200);
    expect(await db.auditLog.count({ where: { action: "auth.signed_out_everywhere", actorUserId: user.id } })).toBe(1);
  });

  it("is refused to an API key (403): keys do not manage a person's account", async () => {
    const { principal } = await createUser("everywhere-key");
    const { secret } = await createApiKey(principal, { name: "not an account manager" });
    const res = await callRoute(revokeSessions, { method: "POST", path: "/api/v1/me/sessions/revoke", headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(403);
  });

  it("plain sign-out (next-auth's signOut event) ends the sessions too, but an already ended session cannot end the new ones", async () => {
    const { user } = await createUser("signout");
    const before = await sessionCookie(user.id, undefined, 0);
    await signOutWith({ sub: user.id, sessionVersion: 0 });
    expect((await meWith({ cookie: before })).status).toBe(401);

    const fresh = await sessionCookie(user.id, undefined, 1);
    await signOutWith({ sub: user.id, sessionVersion: 0 }); // a stolen cookie that has already ended
    expect((await meWith({ cookie: fresh })).status).toBe(200);
    expect(await versionOf(user.id)).toBe(1);
  });

  it("puts the user's current version in the token at sign-in", async () => {
    const { user, email, password } = await createUser("jwt");
    await db.user.update({ where: { id: user.id }, data: { sessionVersion: 7 } });
    const signedIn = await signInWithPassword({ email, password, ip: null });
    const jwt = buildAuthOptions(env()).callbacks!.jwt!;
    const token = await jwt({ token: {}, user: signedIn, account: null } as Parameters<typeof jwt>[0]);
    expect(token).toMatchObject({ sub: user.id, sessionVersion: 7 });
  });
});

describe("password change", () => {
  const change = (cookie: string, body: unknown) => callRoute(changePassword, { method: "POST", path: "/api/v1/me/password", headers: { cookie }, body: json(body) });

  it("needs the right current password (403, a field error, audited), then ends every session and the old password stops working", async () => {
    const { user, email, password } = await createUser("change");
    const cookie = await sessionCookie(user.id, undefined, 0);
    const other = await sessionCookie(user.id, undefined, 0); // another device

    const wrong = await change(cookie, { currentPassword: "not my password", newPassword: "a brand new password" });
    expect(wrong.status).toBe(403);
    expect(wrong.body?.error.details.issues).toEqual([{ path: "currentPassword", message: "Your current password is not right." }]);
    expect(await db.auditLog.count({ where: { action: "auth.password_change_failed", target: email } })).toBe(1);
    expect((await meWith({ cookie })).status).toBe(200);

    const short = await change(cookie, { currentPassword: password, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.body?.error.details.issues[0]?.path).toBe("newPassword");

    const ok = await change(cookie, { currentPassword: password, newPassword: "a brand new password" });
    expect(ok.status).toBe(200);
    for (const c of [cookie, other]) expect((await meWith({ cookie: c })).status).toBe(401);
    await expect(signInWithPassword({ email, password, ip: null })).rejects.toThrow("Invalid email or password.");
    await expect(signInWithPassword({ email, password: "a brand new password", ip: null })).resolves.toMatchObject({ id: user.id });
    expect(await db.auditLog.count({ where: { action: "auth.password_changed", actorUserId: user.id } })).toBe(1);
  });

  it("is refused to an API key (403)", async () => {
    const { principal, password } = await createUser("change-key");
    const { secret } = await createApiKey(principal, { name: "no passwords" });
    const res = await callRoute(changePassword, {
      method: "POST",
      path: "/api/v1/me/password",
      headers: { authorization: `Bearer ${secret}` },
      body: json({ currentPassword: password, newPassword: "a brand new password" }),
    });
    expect(res.status).toBe(403);
    expect(res.body?.error.message).toBe("API keys cannot do this; sign in as a workspace member.");
  });

  it("throttles wrong current passwords together with sign-in failures (429), even with the right one afterwards", async () => {
    const { user, email, password } = await createUser("change-throttle");
    const cookie = await sessionCookie(user.id, undefined, 0);
    for (let i = 0; i < env().AGORA_SIGNIN_MAX_FAILURES_PER_EMAIL; i++) {
      expect((await change(cookie, { currentPassword: `guess ${i}`, newPassword: "a brand new password" })).status).toBe(403);
    }
    const throttled = await change(cookie, { currentPassword: password, newPassword: "a brand new password" });
    expect(throttled.status).toBe(429);
    expect(throttled.body?.error.message).toMatch(/Too many failed sign-in attempts/);
    await expect(signInWithPassword({ email, password, ip: null })).rejects.toThrow(/Too many failed sign-in attempts/);
  });
});

describe("a user disabled by an admin", () => {
  it("has their session and their API keys refused on the next request (401); enabling again brings the keys back, not the sessions", async () => {
    const admin = await createUser("disabler");
    await db.user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const adminCookie = await sessionCookie(admin.user.id);
    const target = await createUser("disabled-user");
    const { secret } = await createApiKey(target.principal, { name: "made before disabling" });
    const session = await sessionCookie(target.user.id, undefined, 0);
    const key = { authorization: `Bearer ${secret}` };
    expect((await meWith({ cookie: session })).status).toBe(200);
    expect((await meWith(key)).status).toBe(200);

    const setDisabled = (disabled: boolean) =>
      callRoute(adminUpdateUser, { method: "PATCH", path: `/api/v1/admin/users/${target.user.id}`, headers: { cookie: adminCookie }, params: { id: target.user.id }, body: json({ disabled }) });
    expect((await setDisabled(true)).status).toBe(200);

    expect((await meWith({ cookie: session })).status).toBe(401);
    const keyRefused = await meWith(key);
    expect(keyRefused.status).toBe(401);
    expect(keyRefused.body?.error.message).toMatch(/belongs to a disabled account/);

    expect((await setDisabled(false)).status).toBe(200);
    expect((await meWith(key)).status).toBe(200);
    expect((await meWith({ cookie: session })).status).toBe(401);
  });

  it("a revoked key of an active user still says it is revoked", async () => {
    const { principal } = await createUser("revoked-key");
    const { id, secret } = await createApiKey(principal, { name: "revoked" });
    await revokeApiKey(principal, id);
    const res = await meWith({ authorization: `Bearer ${secret}` });
    expect(res.status).toBe(401);
    expect(res.body?.error.message).toBe("The API key is invalid or has been revoked.");
  });
});
