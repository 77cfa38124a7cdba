import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { POST as signupRoute } from "@/app/api/v1/auth/signup/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { POST as runsRoute } from "@/app/api/v1/runs/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { createLogger, log, setLogger } from "@/lib/observability/log";
import { callRoute } from "../helpers/call-route";
import { createUser, uniqueEmail } from "../helpers/factories";

// What the logs say about requests carrying secrets: one line per request, and
// never the API key, the password or the authorization header — even when
// code logs them by mistake.

const sink = new PassThrough();
let output = "";
sink.on("data", (d: Buffer) => (output += d.toString()));
const previous = setLogger(createLogger(sink).child({}, { level: "info" }));
afterAll(() => void setLogger(previous));

describe("log redaction", () => {
  it("a request with an API key and a sign-up with a password never print them; each request is one line", async () => {
    const password = "Correct-Horse-Battery-9876";
    const signup = await callRoute(signupRoute, { method: "POST", body: JSON.stringify({ email: uniqueEmail("redact"), password, name: "Redact" }) });
    expect(signup.status).toBe(201);
    const owner = await createUser("redact-key");
    const { secret } = await createApiKey(owner.principal, { name: "k" });
    expect((await callRoute(meRoute, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect((await callRoute(meRoute, { headers: { authorization: `Bearer ${secret}x` } })).status).toBe(401); // a bad key is logged as a refusal, not echoed
    await callRoute(runsRoute, { method: "POST", headers: { authorization: `Bearer ${secret}` }, body: JSON.stringify({ agent: "nope", input: { password } }) });
    // Code that logs secrets by mistake.
    log.warn(`retrying with Bearer ${secret}`, { password, headers: { authorization: `Bearer ${secret}`, cookie: "next-auth.session-token=abc" }, err: new Error(`bad key ${secret}`) });
    await new Promise((r) => setImmediate(r));

    expect(output).not.toContain(secret);
    expect(output).not.toContain(secret.slice(0, 20));
    expect(output).not.toContain(password);
    expect(output).not.toContain("session-token=abc");
    const lines = output.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === "request");
    expect(requests.map((r) => [r.route, r.status])).toEqual(
      expect.arrayContaining([
        ["/api/v1/test", 201],
        ["/api/v1/test", 200],
        ["/api/v1/test", 401],
      ]),
    );
    expect(requests.every((r) => typeof r.requestId === "string" && typeof r.durationMs === "number")).toBe(true);
    expect(lines.at(-1)).toMatchObject({ level: "warn", password: "[redacted]", headers: { authorization: "[redacted]", cookie: "[redacted]" } });
  });

  it("never prints a password change's passwords, nor a mailed link's token, however code logs them", async () => {
    output = "";
    const [currentPassword, newPassword, token] = ["Old-Password-5521", "New-Password-7734", "Zx81tokenValue0099aa"];
    log.info("password change", { body: { currentPassword, newPassword }, currentPassword, newPassword, token });
    log.warn(`mail link failed: https://agora.example/reset-password?token=${token}&next=/keys`, { url: `/verify-email?code=${token}`, err: new Error(`GET /invite?x=1&token=${token} failed`) });
    await new Promise((r) => setImmediate(r));
    for (const secret of [currentPassword, newPassword, token]) expect(output).not.toContain(secret);
    const lines = output.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const changed = lines.find((l) => l.msg === "password change");
    const linked = lines.find((l) => String(l.msg).startsWith("mail link failed"));
    expect(changed).toMatchObject({ currentPassword: "[redacted]", newPassword: "[redacted]", token: "[redacted]", body: { currentPassword: "[redacted]", newPassword: "[redacted]" } });
    expect(linked).toMatchObject({ msg: "mail link failed: https://agora.example/reset-password?token=[redacted]&next=/keys", url: "/verify-email?code=[redacted]" });
  });
});
