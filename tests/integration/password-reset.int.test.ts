import { describe, expect, it } from "vitest";
import { POST as requestReset } from "@/app/api/v1/auth/password-reset/route";
import { POST as confirmReset } from "@/app/api/v1/auth/password-reset/confirm/route";
import { GET as me } from "@/app/api/v1/me/route";
import { issueAccountToken } from "@/lib/accounts/account-tokens";
import { RESET_REQUESTS_PER_EMAIL, RESET_REQUESTS_PER_IP, requestPasswordReset } from "@/lib/accounts/request-password-reset";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { db } from "@/lib/db/client";
import { balanceOf, walletFor } from "@/lib/ledger/ledger";
import { parseEnv } from "@/lib/env";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, uniqueEmail } from "../helpers/factories";
import { mailTo, waitForMail } from "../helpers/mailbox";

// Password reset by mailed link (issue 15 §3): no account-existence leak,
// single-use expiring links, every session ends, throttled per e-mail and IP.

const ask = (email: string) => callRoute(requestReset, { method: "POST", path: "/api/v1/auth/password-reset", body: JSON.stringify({ email }) });
const confirm = (token: string, password: string) =>
  callRoute(confirmReset, { method: "POST", path: "/api/v1/auth/password-reset/confirm", body: JSON.stringify({ token, password }) });
const tokenOf = (link: string | null) => new URL(link!).searchParams.get("token")!;
const randomIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe("password reset", () => {
  it("answers an e-mail with an account and one without identically; only the account gets mail", async () => {
    const { email } = await createUser("reset-known");
    const unknown = uniqueEmail("reset-unknown");
    const [known, nobody] = [await ask(email), await ask(unknown)];
    expect(known.status).toBe(202);
    expect(nobody.status).toBe(known.status);
    expect(nobody.body).toEqual(known.body);
    expect([...nobody.headers.keys()].filter((k) => k !== "x-request-id")).toEqual([...known.headers.keys()].filter((k) => k !== "x-request-id"));

    const mail = await waitForMail(email, /Reset your Agora password/);
    expect(mail.link).toMatch(/\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
    expect(await mailTo(unknown)).toEqual([]);
  });

  it("the mailed link sets the new password once, ends every session and verifies the e-mail (with the starting credit, once); the old password stops working", async () => {
    const { user, email, password, workspace } = await createUser("reset-link", { verified: false });
    const credit = () => db.$transaction(async (tx) => (await balanceOf(tx, await walletFor(tx, workspace.id))).availableMicros);
    expect(await credit()).toBe(0n);
    const cookie = await sessionCookie(user.id, undefined, 0);
    expect((await callRoute(me, { path: "/api/v1/me", headers: { cookie } })).status).toBe(200);
    expect((await ask(email)).status).toBe(202);
    const token = tokenOf((await waitForMail(email, /Reset your Agora password/)).link);

    const short = await confirm(token, "short");
    expect(short.status).toBe(400);
    expect(short.body?.error.details.issues[0]?.path).toBe("password");

    expect((await confirm(token, "my new reset password")).status).toBe(200);
    await expect(signInWithPassword({ email, password, ip: null })).rejects.toThrow("Invalid email or password.");
    await expect(signInWithPassword({ email, password: "my new reset password", ip: null })).resolves.toMatchObject({ id: user.id });
    expect((await callRoute(me, { path: "/api/v1/me", headers: { cookie } })).status).toBe(401);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeInstanceOf(Date);
    expect(await credit()).toBe(1_000_000n); // following the link proved the mailbox, as a verification link would
    expect(await db.auditLog.count({ where: { action: "auth.password_reset", actorUserId: user.id } })).toBe(1);

    const again = await confirm(token, "yet another password");
    expect(again.status).toBe(410);
    expect(again.body?.error.message).toBe("This link has expired or was already used. Ask for a new one.");
    await expect(signInWithPassword({ email, password: "my new reset password", ip: null })).resolves.toMatchObject({ id: user.id });
    expect(await credit()).toBe(1_000_000n);
  });

  it("refuses an expired link (410) and changes nothing", async () => {
    const { user, email, password } = await createUser("reset-expired");
    const token = await issueAccountToken(db, { userId: user.id, purpose: "RESET_PASSWORD", ttlMs: -1_000 });
    const res = await confirm(token, "too late for this one");
    expect(res.status).toBe(410);
    await expect(signInWithPassword({ email, password, ip: null })).resolves.toMatchObject({ id: user.id });
  });

  it("refuses an unknown link (404)", async () => {
    expect((await confirm("A".repeat(43), "whatever password")).status).toBe(404);
  });

  it("throttles requests per e-mail, with or without an account (429)", async () => {
    const unknown = uniqueEmail("reset-flood");
    for (let i = 0; i < RESET_REQUESTS_PER_EMAIL; i++) expect((await ask(unknown)).status).toBe(202);
    const refused = await ask(unknown);
    expect(refused.status).toBe(429);
    expect(refused.body?.error.message).toMatch(/Too many password reset requests/);
  });

  it("throttles requests per client IP across e-mails", async () => {
    const ip = randomIp();
    const ctx = { ip, baseUrl: "http://agora.test" };
    for (let i = 0; i < RESET_REQUESTS_PER_IP; i++) await requestPasswordReset(uniqueEmail("reset-spray"), ctx);
    await expect(requestPasswordReset(uniqueEmail("reset-spray"), ctx)).rejects.toMatchObject({ code: "rate_limited", status: 429 });
    await expect(requestPasswordReset(uniqueEmail("reset-spray"), { ...ctx, ip: "203.0.113.254" })).resolves.toBeUndefined();
  });

  it("in production without SMTP, says reset by e-mail is unavailable (503) and sends nothing", async () => {
    const { email } = await createUser("reset-nomail");
    const production = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", NEXTAUTH_SECRET: "s".repeat(32), METRICS_TOKEN: "m".repeat(16) });
    await expect(requestPasswordReset(email, { ip: null, baseUrl: "http://agora.test" }, production)).rejects.toMatchObject({ code: "mail_unavailable", status: 503 });
    expect(await db.auditLog.count({ where: { action: "auth.password_reset_requested", target: email } })).toBe(0);
  });
});
