import { afterEach, describe, expect, it } from "vitest";
import { env, parseEnv } from "@/lib/env";
import { publicOrigin } from "@/lib/http/app-url";
import { clientIp, PEER_HEADER, PEER_PROTO_HEADER } from "@/lib/http/client-ip";

const saved = { ...env() };
afterEach(() => Object.assign(env(), { AGORA_TRUSTED_PROXIES: saved.AGORA_TRUSTED_PROXIES, NEXTAUTH_URL: saved.NEXTAUTH_URL }));
const trust = (...proxies: string[]) => Object.assign(env(), { AGORA_TRUSTED_PROXIES: proxies });
const ip = (peer: string | null, xff?: string) => clientIp(new Headers({ ...(peer ? { [PEER_HEADER]: peer } : {}), ...(xff ? { "x-forwarded-for": xff } : {}) }));

describe("clientIp", () => {
  it("is the socket peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(ip("192.0.2.10", "198.51.100.1")).toBe("192.0.2.10");
    expect(ip("::ffff:192.0.2.10", "198.51.100.1")).toBe("192.0.2.10");
    expect(ip("2001:db8::5")).toBe("2001:db8::5");
    expect(ip(null, "198.51.100.1")).toBeNull(); // no recorded peer: nothing to vouch for
  });

  it("walks X-Forwarded-For right to left past trusted proxies (IPv4 and IPv6 CIDRs)", () => {
    trust("10.0.0.0/8", "fd00::/8", "192.0.2.1");
    expect(ip("10.1.2.3", "198.51.100.1")).toBe("198.51.100.1");
    expect(ip("10.1.2.3", "203.0.113.5, 198.51.100.1, 10.9.9.9")).toBe("198.51.100.1");
    expect(ip("fd00::1", "2001:db8::7, fd12::3")).toBe("2001:db8::7");
    expect(ip("::ffff:192.0.2.1", "198.51.100.1")).toBe("198.51.100.1");
    expect(ip("10.1.2.3")).toBe("10.1.2.3"); // a trusted proxy that forwarded nothing
    expect(ip("10.1.2.3", "10.0.0.5, 10.0.0.6")).toBe("10.0.0.5"); // all trusted: the furthest
    expect(ip("10.1.2.3", "not-an-ip, 10.0.0.6")).toBe("10.0.0.6"); // garbage: as far as we can vouch
    expect(ip("192.0.2.2", "198.51.100.1")).toBe("192.0.2.2"); // a neighbour of a trusted address is not trusted
  });

  it("AGORA_TRUSTED_PROXIES accepts addresses and CIDRs, and names a bad entry", () => {
    const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/agora" };
    expect(parseEnv({ ...base, AGORA_TRUSTED_PROXIES: " 10.0.0.0/8, fd00::/8 ,127.0.0.1,::1" }).AGORA_TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "fd00::/8", "127.0.0.1", "::1"]);
    expect(parseEnv(base).AGORA_TRUSTED_PROXIES).toEqual([]);
    expect(() => parseEnv({ ...base, AGORA_TRUSTED_PROXIES: "10.0.0.0/8,proxy.internal" })).toThrow(/AGORA_TRUSTED_PROXIES/);
    expect(() => parseEnv({ ...base, AGORA_TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/AGORA_TRUSTED_PROXIES/);
  });
});

describe("publicOrigin (the Origin check's and appUrl's reference)", () => {
  const origin = (headers: Record<string, string>) => publicOrigin(new Headers(headers));
  it("is NEXTAUTH_URL's origin when set, whatever the request says", () => {
    Object.assign(env(), { NEXTAUTH_URL: "https://agora.example/app" });
    expect(origin({ host: "evil.example", "x-forwarded-host": "evil.example", [PEER_HEADER]: "192.0.2.1" })).toBe("https://agora.example");
  });

  it("unset: the request's Host and scheme; X-Forwarded-Host/-Proto only from a trusted proxy", () => {
    Object.assign(env(), { NEXTAUTH_URL: undefined });
    const forged = { host: "agora.test:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", [PEER_HEADER]: "192.0.2.1", [PEER_PROTO_HEADER]: "http" };
    expect(origin(forged)).toBe("http://agora.test:3000");
    trust("192.0.2.1");
    expect(origin(forged)).toBe("https://evil.example");
    expect(origin({ host: "agora.test", [PEER_PROTO_HEADER]: "https" })).toBe("https://agora.test");
  });
});
