import type { Transporter } from "nodemailer";
import { createTransport } from "nodemailer";
import { env, type Env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";

// Outgoing e-mail (verification, password reset, invitations). Real SMTP through
// nodemailer when SMTP_URL is set. Without it, outside production each message is
// printed to the server console instead (so `npm run dev` works with no mail server);
// in production the features that need mail say they are unavailable.

export type Mail = { to: string; subject: string; text: string };

/** Whether mail can be delivered (or, in development, printed). */
export const mailAvailable = (e: Env = env()) => Boolean(e.SMTP_URL) || e.NODE_ENV !== "production";

let transport: { url: string; transporter: Transporter } | undefined;

function transporterFor(url: string): Transporter {
  if (transport?.url !== url) transport = { url, transporter: createTransport(url) };
  return transport.transporter;
}

/** Sends one plain-text message; 503 mail_unavailable when mail is not configured in production. */
export async function sendMail(mail: Mail, e: Env = env()): Promise<void> {
  if (e.SMTP_URL) {
    await transporterFor(e.SMTP_URL).sendMail({ from: e.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    return;
  }
  if (!mailAvailable(e)) {
    throw new ApiError("mail_unavailable", "E-mail is not configured on this server (SMTP_URL), so this cannot be sent. Ask the operator.");
  }
  // Development without SMTP: the message (and its link) goes to the console, never to a log file in production.
  console.info(`\n── mail (SMTP_URL unset; printed instead of sent) ──\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n──\n`);
}

/** Sends without failing the caller's request: a mail server hiccup is logged, not a 500 (the user can ask again). */
export async function sendMailQuietly(mail: Mail): Promise<boolean> {
  try {
    await sendMail(mail);
    return true;
  } catch (err) {
    log.warn("mail not sent", { subject: mail.subject, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}
