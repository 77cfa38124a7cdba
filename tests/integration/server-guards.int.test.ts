import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { installServerGuards } from "@/lib/http/server-guards";

// TRACE and TRACK through a real socket, to a server that treats requests the
// way Next does — it builds a Fetch Request from each, which the Fetch API
// refuses for TRACE (Next answered 500, a stack page in development).

installServerGuards();
const server = http.createServer((req, res) => {
  try {
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method });
    res.end(JSON.stringify({ method: request.method, peer: req.headers["x-agora-peer"] }));
  } catch (err) {
    res.statusCode = 500;
    res.end((err as Error).stack);
  }
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));

function send(method: string, headers: Record<string, string> = {}, path = "/api/v1/me") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, method, path, headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("server guards", () => {
  it("TRACE is a 405 in the API's error shape, with no stack", async () => {
    const res = await send("TRACE", { cookie: "next-auth.session-token=secret-cookie" });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toContain("GET");
    expect(JSON.parse(res.body)).toEqual({ error: { code: "method_not_allowed", message: "TRACE is not supported here." } });
    expect(res.body).not.toContain("secret-cookie"); // TRACE's point is echoing the request back
  });

  it("TRACK never reaches a handler: Node's HTTP parser answers 400", async () => {
    const res = await send("TRACK");
    expect(res.status).toBe(400);
    expect(res.body).not.toMatch(/at |Error/);
  });

  it("other methods reach the handler, with the socket peer recorded over a client's own value", async () => {
    const res = await send("GET", { "x-agora-peer": "203.0.113.9" });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ method: "GET", peer: "127.0.0.1" });
  });

  it("a worker process (AGORA_ROLE=worker) answers health probes and refuses the rest with a 503 saying where to go", async () => {
    process.env.AGORA_ROLE = "worker";
    try {
      const refused = await send("POST", {}, "/api/v1/runs");
      expect(refused.status).toBe(503);
      expect(refused.headers["retry-after"]).toBe("2");
      expect(JSON.parse(refused.body).error).toMatchObject({ code: "service_unavailable", message: expect.stringContaining("web instance") });
      expect((await send("GET", {}, "/")).status).toBe(503);
      expect((await send("GET", {}, "/api/health/ready")).status).toBe(200);
    } finally {
      delete process.env.AGORA_ROLE;
    }
    expect((await send("GET", {}, "/api/v1/me")).status).toBe(200);
  });
});
