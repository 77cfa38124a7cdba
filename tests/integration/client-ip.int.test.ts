import { randomInt } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/auth-options";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { installServerGuards } from "@/lib/http/server-guards";
import { createUser, uniqueEmail } from "../helpers/factories";

// The client IP through a real socket: the server records the peer (as
// instrumentation.ts makes Next's server do), next-auth's credentials sign-in
// reads it from the request headers it is handed, and the sign-in throttle and
// the audit log use it. Each test connects from its own loopback address
// (127.x.y.z), so its per-IP counts are its own.

type Credentials = { email: string; password: string };
type Authorize = (c: Credentials, req: { headers: IncomingMessage["headers"] }) => Promise<unknown>;
const authorize = (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

installServerGuards();
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d.toString()));
  req.on("end", () => {
    authorize(JSON.parse(body) as Credentials, { headers: req.headers }).then(
      (user) => res.end(JSON.stringify({ signedIn: Boolean(user) })),
      (err: Error) => res.end(JSON.stringify({ signedIn: false, error: err.message })),
    );
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));

const saved = { ...env() };
afterEach(() => Object.assign(env(), { AGORA_TRUSTED_PROXIES: saved.AGORA_TRUSTED_PROXIES, AGORA_SIGNIN_MAX_FAILURES_PER_IP: saved.AGORA_SIGNIN_MAX_FAILURES_PER_IP }));

const loopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Signs in from `from` (a local source address) with these extra headers. */
function signIn(from: string, credentials: Credentials, headers: Record<string, string>) {
  return new Promise<{ signedIn: boolean; error?: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, localAddress: from, method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve(JSON.parse(text) as { signedIn: boolean; error?: string }));
    });
    req.on("error", reject);
    req.end(JSON.stringify(credentials));
  });
}

const failureIps = (email: string) => db.auditLog.findMany({ where: { action: "auth.sign_in_failed", target: email }, select: { ip: true } });

describe("the client IP", () => {
  it("from an untrusted peer, forged X-Forwarded-For and peer headers change nothing: the per-IP sign-in throttle holds and the audit log has the real address", async () => {
    const from = loopbackAddress();
    Object.assign(env(), { AGORA_SIGNIN_MAX_FAILURES_PER_IP: 3 });
    const emails = [uniqueEmail("xff-a"), uniqueEmail("xff-b"), uniqueEmail("xff-c")];
    for (const [i, email] of emails.entries()) {
      // A fresh forged address each time: the old code took the last X-Forwarded-For hop as the client.
      const forged = { "x-forwarded-for": `198.51.100.${i + 1}`, "x-agora-peer": `203.0.113.${i + 1}`, "x-real-ip": "192.0.2.1" };
      expect(await signIn(from, { email, password: "a wrong guess" }, forged)).toMatchObject({ signedIn: false, error: "Invalid email or password." });
      expect(await failureIps(email)).toEqual([{ ip: from }]);
    }
    const victim = await createUser("xff-victim");
    const attempt = await signIn(from, { email: victim.email, password: victim.password }, { "x-forwarded-for": "198.51.100.200" });
    expect(attempt).toMatchObject({ signedIn: false, error: expect.stringMatching(/Too many failed sign-in attempts/) });
  });

  it("from a trusted proxy, X-Forwarded-For is walked right to left past trusted proxies to the client", async () => {
    const proxy = loopbackAddress();
    Object.assign(env(), { AGORA_TRUSTED_PROXIES: [proxy, "203.0.113.0/24"] });
    const email = uniqueEmail("xff-proxied");
    // The client's own (forged) first hop, the client as the edge proxy saw it, then an inner trusted proxy.
    await signIn(proxy, { email, password: "a wrong guess" }, { "x-forwarded-for": "192.0.2.66, 198.51.100.7, 203.0.113.9" });
    expect(await failureIps(email)).toEqual([{ ip: "198.51.100.7" }]);
    // The same proxy not configured: its forwarding headers no longer count.
    Object.assign(env(), { AGORA_TRUSTED_PROXIES: ["203.0.113.0/24"] });
    const direct = uniqueEmail("xff-untrusted");
    await signIn(proxy, { email: direct, password: "a wrong guess" }, { "x-forwarded-for": "198.51.100.7" });
    expect(await failureIps(direct)).toEqual([{ ip: proxy }]);
  });
});
