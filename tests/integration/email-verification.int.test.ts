import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as signupRoute } from "@/app/api/v1/auth/signup/route";
import { POST as resendRoute } from "@/app/api/v1/auth/verify-email/resend/route";
import { pendingStartingCredit, verifyEmail } from "@/lib/accounts/email-verification";
import { signUp } from "@/lib/accounts/sign-up";
import { getDb } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, TEST_APP_URL, tokenFromLink, uniqueEmail } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { mailTo, waitForMail } from "../helpers/mailbox";
import { PEER_HEADER } from "@/lib/http/client-ip";

// Sign-up abuse (issue 15): sign-ups are limited per client IP, and the free
// starting credit comes with a verified e-mail (the mailed single-use link), not
// with the account.

const db = getDb();
const balance = async (workspaceId: string) => (await workspaceBalance(db, workspaceId)).availableMicros;
/** An IP no other test uses (the documentation prefix). */
const freshIp = () => `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
const signUpBody = (label: string) => ({ email: uniqueEmail(label), password: "long enough pw", name: label });
const VERIFY = /Verify your e-mail/;

expectLedgerInvariantsAfterEach();

describe("sign-up limit per client IP", () => {
  it("refuses the 6th sign-up from one IP in the hour with 429 and Retry-After, creating nothing; another IP still signs up", async () => {
    const ip = freshIp();
    // The peer header is the socket address, as lib/http/server-guards.ts records it (a client cannot set it).
    const post = (body: ReturnType<typeof signUpBody>, from = ip) =>
      callRoute(signupRoute, { method: "POST", body: JSON.stringify(body), headers: { [PEER_HEADER]: from } });
    for (let i = 0; i < 5; i++) expect((await post(signUpBody(`burst${i}`))).status).toBe(201);

    const sixth = signUpBody("burst-refused");
    const refused = await post(sixth);
    expect(refused.status).toBe(429);
    expect(refused.body?.error.code).toBe("rate_limited");
    expect(refused.body?.error.message).toMatch(/Too many accounts were created from your network \(at most 5 in 60 minutes\)\. Try again in \d+ minutes\./);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(await db.user.count({ where: { email: sixth.email } })).toBe(0);
    expect(await db.workspace.count({ where: { name: "burst-refused's workspace" } })).toBe(0);
    expect(await mailTo(sixth.email)).toEqual([]);

    expect((await post(signUpBody("other-ip"), freshIp())).status).toBe(201);
  });

  it("admits exactly 5 of 8 parallel sign-ups from one IP", async () => {
    const ip = freshIp();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => signUp(signUpBody(`parallel${i}`), { ip, baseUrl: TEST_APP_URL })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "rate_limited" });
    expect(await db.auditLog.count({ where: { action: "user.signed_up", ip } })).toBe(5);
  });
});

describe("e-mail verification and the starting credit", () => {
  it("an unverified account has no credit; the mailed link verifies it and credits $1 once; the link works once", async () => {
    const { user, workspace, email } = await createUser("unverified", { verified: false });
    expect(await balance(workspace.id)).toBe(0n);
    expect(await pendingStartingCredit(user.id)).toBe(1_000_000n);

    const mail = await waitForMail(email, VERIFY);
    expect(mail.link).toMatch(new RegExp(`^${TEST_APP_URL}/verify-email\\?token=[A-Za-z0-9_-]{43}$`));
    await expect(verifyEmail(tokenFromLink(mail.link), "203.0.113.50")).resolves.toEqual({ startingCreditGranted: true });
    expect(await balance(workspace.id)).toBe(1_000_000n);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeInstanceOf(Date);
    expect(await pendingStartingCredit(user.id)).toBeNull();

    await expect(verifyEmail(tokenFromLink(mail.link), null)).rejects.toMatchObject({ code: "gone", status: 410 });
    expect(await balance(workspace.id)).toBe(1_000_000n);
    expect(await db.transfer.count({ where: { workspaceId: workspace.id, reason: "included_credits" } })).toBe(1);
  });

  it("the mailed link carries the page the user signed up from, so verifying returns them to it", async () => {
    const from = signUpBody("from-agent");
    await signUp(from, { ip: null, baseUrl: TEST_APP_URL, returnTo: "/agents/security-scanner?example=1" });
    const link = new URL((await waitForMail(from.email, VERIFY)).link ?? "missing:");
    expect(link.pathname).toBe("/verify-email");
    expect(link.searchParams.get("next")).toBe("/agents/security-scanner?example=1");

    const plain = signUpBody("no-return");
    await signUp(plain, { ip: null, baseUrl: TEST_APP_URL });
    expect(new URL((await waitForMail(plain.email, VERIFY)).link ?? "missing:").searchParams.has("next")).toBe(false);
  });

  it("an expired link is 410 and credits nothing; an unknown one is 404", async () => {
    const { user, workspace, email } = await createUser("expired", { verified: false });
    const { link } = await waitForMail(email, VERIFY);
    await db.accountToken.updateMany({ where: { userId: user.id, purpose: "VERIFY_EMAIL" }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await expect(verifyEmail(tokenFromLink(link), null)).rejects.toMatchObject({ code: "gone" });
    await expect(verifyEmail("A".repeat(43), null)).rejects.toMatchObject({ code: "not_found" });
    expect(await balance(workspace.id)).toBe(0n);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
  });

  it("a resent link replaces the first; resending is limited to 5 mails an hour and refused once verified", async () => {
    const { user, workspace, email } = await createUser("resend", { verified: false });
    const first = await waitForMail(email, VERIFY);
    const resend = async () => callRoute(resendRoute, { method: "POST", headers: { cookie: await sessionCookie(user.id, workspace.id) } });

    const again = await resend();
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ sentTo: email });
    await expect.poll(async () => (await mailTo(email)).length).toBe(2);
    const second = await waitForMail(email, VERIFY);
    expect(second.link).not.toBe(first.link);
    await expect(verifyEmail(tokenFromLink(first.link), null)).rejects.toMatchObject({ code: "gone" });

    for (let i = 0; i < 3; i++) expect((await resend()).status).toBe(200);
    const limited = await resend();
    expect(limited.status).toBe(429);
    expect(limited.body?.error.message).toMatch(/Too many verification mails/);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);

    await verifyEmail(tokenFromLink((await waitForMail(email, VERIFY)).link), null);
    expect(await balance(workspace.id)).toBe(1_000_000n);
    const verified = await resend();
    expect(verified.status).toBe(409);
    expect(verified.body?.error.message).toBe("Your e-mail address is already verified.");
  });
});
