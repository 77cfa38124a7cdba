import { expect } from "@playwright/test";
import { firstLink, type CapturedMail } from "../fakes/smtp-catcher";

// The mail the app sent during the browser tests, caught by the SMTP catcher that
// tests/e2e/server.ts runs (its HTTP view on E2E_MAIL_PORT, chosen by playwright.config.ts).

const mailbox = () => `http://127.0.0.1:${process.env.E2E_MAIL_PORT}/messages`;

/** Waits for a message to `address` whose subject matches, and returns the first link in it. */
export async function linkFromMail(address: string, subject: RegExp): Promise<string> {
  let found: CapturedMail | undefined;
  await expect
    .poll(async () => {
      const messages = (await (await fetch(`${mailbox()}?to=${encodeURIComponent(address)}`)).json()) as CapturedMail[];
      found = messages.findLast((m) => subject.test(m.subject));
      return Boolean(found);
    }, { message: `a mail to ${address} with subject ${subject}`, timeout: 20_000 })
    .toBe(true);
  const link = firstLink(found!);
  expect(link, `a link in "${found!.subject}"`).toBeTruthy();
  return link!;
}
