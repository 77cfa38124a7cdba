import { inject, vi } from "vitest";
import { firstLink, type CapturedMail } from "../fakes/smtp-catcher";

// What the app mailed during this test run: the SMTP catcher started by the
// global setup (tests/setup/global-database.ts) keeps every message.

export async function mailTo(address: string): Promise<CapturedMail[]> {
  const res = await fetch(`${inject("mailboxUrl")}/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as CapturedMail[];
}

/** Waits for the newest mail to `address` whose subject matches; returns it and the first link in it. */
export async function waitForMail(address: string, subject: RegExp): Promise<CapturedMail & { link: string | null }> {
  const mail = await vi.waitFor(
    async () => {
      const found = (await mailTo(address)).findLast((m) => subject.test(m.subject));
      if (!found) throw new Error(`no mail to ${address} with subject ${subject} yet`);
      return found;
    },
    { timeout: 20_000, interval: 50 },
  );
  return { ...mail, link: firstLink(mail) };
}
