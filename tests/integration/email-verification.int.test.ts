import { describe, expect, it } from "vitest";
import { POST as resendRoute } from "@/app/api/v1/auth/verify-email/resend/route";
import { pendingStartingCredit, verifyEmail } from "@/lib/accounts/email-verification";
import { getDb } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser, TEST_APP_URL, tokenFromLink } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { mailTo, waitForMail } from "../helpers/mailbox";

// Sign-up abuse (issue 15): the free starting credit comes with a verified
// e-mail (the mailed single-use link), not with the account.

const db = getDb();
const balance = async (workspaceId: string) => (await workspaceBalance(db, workspaceId)).availableMicros;
const VERIFY = /Verify your e-mail/;

expectLedgerInvariantsAfterEach();

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
