import { lookup } from "node:dns/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { checkEndpointUrl, EndpointRefused, outboundFetch, refusedAddress, type OutboundPolicy } from "@/lib/http/outbound";

// The SSRF rules of provider endpoints (lib/http/outbound.ts), at save and at call time.

const resolvesTo = (...addresses: string[]): OutboundPolicy["resolve"] => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
const dev = (resolve = resolvesTo("93.184.216.34")): OutboundPolicy => ({ production: false, allowLoopback: false, resolve });
const refusedWith = async (p: Promise<unknown>, message: RegExp) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(EndpointRefused);
  expect((err as Error).message).toMatch(message);
};

const server = http.createServer((_req, res) => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end());
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
afterAll(() => new Promise((r) => server.close(r)));

describe("endpoint addresses", () => {
  it("refuses loopback, private, shared, link-local, unspecified, multicast and their IPv4-mapped forms; allows public ones", () => {
    for (const ip of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1", "::1", "::", "fc00::1", "fd12::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254"]) {
      expect(refusedAddress(ip, { allowLoopback: false }), ip).not.toBeNull();
    }
    for (const ip of ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(refusedAddress(ip, { allowLoopback: false }), ip).toBeNull();
    // The development flag allows loopback only.
    expect(refusedAddress("127.0.0.1", { allowLoopback: true })).toBeNull();
    expect(refusedAddress("::1", { allowLoopback: true })).toBeNull();
    expect(refusedAddress("10.0.0.1", { allowLoopback: true })).not.toBeNull();
  });

  it("at save: IP literals, names resolving to private addresses, http in production and credentials in the URL are refused", async () => {
    await refusedWith(checkEndpointUrl("http://127.0.0.1:8080/a2a", dev()), /not an IP address|host name/);
    await refusedWith(checkEndpointUrl("https://10.0.0.1/a2a", dev()), /host name, not an IP address \(10\.0\.0\.1\)/);
    await refusedWith(checkEndpointUrl("https://169.254.169.254/latest", dev()), /169\.254\.169\.254/);
    await refusedWith(checkEndpointUrl("https://[::ffff:7f00:1]/", dev()), /IP address/);
    await refusedWith(checkEndpointUrl("https://agent.example.com/", dev(resolvesTo("93.184.216.34", "10.1.2.3"))), /resolves to a refused address: 10\.1\.2\.3/);
    await refusedWith(checkEndpointUrl("https://metadata.example.com/", dev(resolvesTo("169.254.169.254"))), /169\.254\.169\.254/);
    // The system resolver, offline: localhost is loopback.
    await refusedWith(checkEndpointUrl("http://localhost:9/", dev((host) => lookup(host, { all: true }))), /localhost resolves to a refused address/);
    await refusedWith(checkEndpointUrl("http://agent.example.com/", { ...dev(), production: true }), /https:\/\//);
    await refusedWith(checkEndpointUrl("ftp://agent.example.com/", dev()), /https:\/\//);
    await refusedWith(checkEndpointUrl("https://user:pw@agent.example.com/", dev()), /user name or password/);
    await refusedWith(checkEndpointUrl("https://nowhere.invalid/", dev(async () => Promise.reject(Object.assign(new Error("not found"), { code: "ENOTFOUND" })))), /could not be resolved \(ENOTFOUND\)/);
    expect((await checkEndpointUrl("https://agent.example.com/a2a", { ...dev(), production: true })).host).toBe("agent.example.com");
    expect((await checkEndpointUrl("http://agent.example.com/a2a", dev())).protocol).toBe("http:"); // http outside production
  });
});

describe("outboundFetch at call time", () => {
  it("connects only to the address checked: a name resolving to loopback is refused unless loopback is allowed", async () => {
    const trace = {};
    const refusedFetch = outboundFetch({ policy: dev(resolvesTo("127.0.0.1")), trace });
    await refusedWith(refusedFetch(`http://provider.test:${port}/`), /resolves to a refused address: 127\.0\.0\.1/);
    expect(trace).toMatchObject({ refused: expect.any(EndpointRefused) });
    // Same name, same resolver, loopback allowed (tests and local work): it connects — to the pinned address.
    const res = await outboundFetch({ policy: { ...dev(resolvesTo("127.0.0.1")), allowLoopback: true } })(`http://provider.test:${port}/`);
    expect(res.status).toBe(302); // redirects are not followed
    expect(res.headers.get("location")).toContain("169.254.169.254");
  });

  it("refuses IP literals and http in production before connecting, and signs string bodies", async () => {
    await refusedWith(outboundFetch({ policy: dev() })(`http://127.0.0.1:${port}/`), /IP address/);
    await refusedWith(outboundFetch({ policy: dev() })("http://10.0.0.1/"), /IP address/);
    await refusedWith(outboundFetch({ policy: { ...dev(), production: true } })("http://agent.example.com/"), /https/);
    let seen: http.IncomingHttpHeaders = {};
    const echo = http.createServer((req, res) => ((seen = req.headers), res.end("ok")));
    await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
    const trace: { status?: number } = {};
    const res = await outboundFetch({ policy: { ...dev(), allowLoopback: true }, trace, sign: (body) => ({ "webhook-signature": `v1,${body.length}` }) })(`http://127.0.0.1:${(echo.address() as AddressInfo).port}/`, { method: "POST", body: "hello" });
    expect(await res.text()).toBe("ok");
    expect(trace.status).toBe(200);
    expect(seen["webhook-signature"]).toBe("v1,5");
    await new Promise((r) => echo.close(r));
  });
});

describe("the development flag", () => {
  it("AGORA_ALLOW_LOOPBACK_ENDPOINTS is refused in production unless the server itself is on loopback (benchmarks, e2e)", () => {
    const prod = { DATABASE_URL: "postgres://x/y", NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), METRICS_TOKEN: "m".repeat(16), AGORA_ALLOW_LOOPBACK_ENDPOINTS: "1" };
    expect(() => parseEnv({ ...prod, NEXTAUTH_URL: "https://agora.example.com" })).toThrow(/AGORA_ALLOW_LOOPBACK_ENDPOINTS: is for development and tests/);
    expect(() => parseEnv(prod)).toThrow(/AGORA_ALLOW_LOOPBACK_ENDPOINTS/);
    expect(parseEnv({ ...prod, NEXTAUTH_URL: "http://127.0.0.1" }).AGORA_ALLOW_LOOPBACK_ENDPOINTS).toBe(true);
    expect(parseEnv({ ...prod, AGORA_ALLOW_LOOPBACK_ENDPOINTS: "0", NEXTAUTH_URL: "https://agora.example.com" }).AGORA_ALLOW_LOOPBACK_ENDPOINTS).toBe(false);
    expect(parseEnv({ DATABASE_URL: "postgres://x/y", AGORA_ALLOW_LOOPBACK_ENDPOINTS: "1" }).AGORA_ALLOW_LOOPBACK_ENDPOINTS).toBe(true);
  });
});
