import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// A local SMTP server that accepts every message and keeps it (as MailHog or
// Mailpit would), so tests send mail through the real nodemailer transport and
// follow the links in what arrives. `serveHttp` exposes the captured mail as
// JSON for the browser tests, whose server runs in another process.

export type CapturedMail = { to: string[]; from: string; subject: string; text: string; receivedAt: number };

export type SmtpCatcher = {
  /** smtp://127.0.0.1:<port> — what SMTP_URL is set to. */
  url: string;
  messages: CapturedMail[];
  /** Messages to this address, oldest first. */
  to(address: string): CapturedMail[];
  /** The next message to `address` (or one already there that matches), waiting for it. */
  waitFor(address: string, match?: (m: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** GET /messages?to=<address> → CapturedMail[] on `port` (0: one from the OS); returns its base URL. */
  serveHttp(port?: number): Promise<string>;
  close(): Promise<void>;
};

/** Decodes the transfer encodings nodemailer uses for a text part. */
function decodeBody(body: string, encoding: string | undefined): string {
  switch (encoding?.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return Buffer.from(
        body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        "latin1",
      ).toString("utf8");
    default:
      return body;
  }
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=) in a header. */
function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeBody(text.replace(/_/g, " "), "quoted-printable"),
  );
}

export function parseMessage(raw: string, envelopeTo: string[]): CapturedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map(head.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()] as const));
  return {
    to: envelopeTo,
    from: headers.get("from") ?? "",
    subject: decodeHeader(headers.get("subject") ?? ""),
    text: decodeBody(raw.slice(split + 4), headers.get("content-transfer-encoding")).replace(/\r\n/g, "\n"),
    receivedAt: Date.now(),
  };
}

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const messages: CapturedMail[] = [];
  const arrived = new EventEmitter().setMaxListeners(0);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const mail = parseMessage(Buffer.concat(chunks).toString("utf8"), session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
        messages.push(mail);
        arrived.emit("mail", mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  let web: http.Server | undefined;

  const to = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    waitFor(address, match = () => true, timeoutMs = 20_000) {
      const wanted = (m: CapturedMail) => m.to.includes(address.toLowerCase()) && match(m);
      const already = messages.find(wanted);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          arrived.off("mail", onMail);
          reject(new Error(`no mail to ${address} within ${timeoutMs} ms (received: ${messages.map((m) => `${m.to.join(",")} "${m.subject}"`).join("; ") || "none"})`));
        }, timeoutMs);
        const onMail = (m: CapturedMail) => {
          if (!wanted(m)) return;
          clearTimeout(timer);
          arrived.off("mail", onMail);
          resolve(m);
        };
        arrived.on("mail", onMail);
      });
    },
    async serveHttp(port = 0) {
      web = http.createServer((req, res) => {
        const address = new URL(req.url ?? "/", "http://x").searchParams.get("to") ?? "";
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(address ? to(address) : messages));
      });
      await new Promise<void>((resolve) => web!.listen(port, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    },
    async close() {
      await Promise.all([new Promise<void>((r) => server.close(() => r())), web ? new Promise<void>((r) => web!.close(() => r())) : undefined]);
    },
  };
}

/** The first http(s) link in a message's text. */
export const firstLink = (mail: CapturedMail) => /https?:\/\/\S+/.exec(mail.text)?.[0] ?? null;
