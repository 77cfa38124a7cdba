import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mailAvailable, sendMail } from "@/lib/mail/mail";
import { parseEnv } from "@/lib/env";
import { waitForMail } from "../helpers/mailbox";

describe("mail", () => {
  it("goes through real SMTP: subject, sender and a long link arrive intact", async () => {
    const to = `mail-${randomUUID().slice(0, 8)}@test.agora.dev`;
    const link = `https://agora.example/verify-email?token=${"x".repeat(43)}&then=${"é".repeat(3)}`;
    await sendMail({ to, subject: "Über-long links survive", text: `Hello,\n\nfollow ${link}\n` });
    const mail = await waitForMail(to, /Über-long/);
    expect(mail.from).toContain("no-reply@");
    expect(mail.link).toBe(link);
  });

  it("in production without SMTP_URL, sending says mail is unavailable (503) instead of printing", async () => {
    const production = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", NEXTAUTH_SECRET: "s".repeat(32), METRICS_TOKEN: "m".repeat(16) });
    expect(mailAvailable(production)).toBe(false);
    await expect(sendMail({ to: "a@b.c", subject: "s", text: "t" }, production)).rejects.toMatchObject({ code: "mail_unavailable", status: 503 });
    expect(mailAvailable(parseEnv({ NODE_ENV: "development", DATABASE_URL: "postgres://x/y" }))).toBe(true);
  });
});
