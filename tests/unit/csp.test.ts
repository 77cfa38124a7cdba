import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { buildCsp, withCsp } from "@/lib/http/csp";

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("buildCsp", () => {
  it("allows scripts only with the nonce, never 'unsafe-inline', and eval only in development", () => {
    const scripts = directive(buildCsp("abc123==", { dev: false }), "script-src");
    expect(scripts).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(directive(buildCsp("abc123==", { dev: true }), "script-src")).toBe(`${scripts} 'unsafe-eval'`);
  });

  it("keeps the rest of the policy: same origin only, no framing, no plugins", () => {
    const csp = buildCsp("n", { dev: false });
    expect(directive(csp, "default-src")).toBe("default-src 'self'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "base-uri")).toBe("base-uri 'self'");
  });
});

describe("withCsp", () => {
  const page = () => new NextRequest("https://agora.example/signin");

  it("answers with a fresh nonce each request and hands the same nonce and policy to the page render", () => {
    const policies = [withCsp(page()), withCsp(page())].map((res) => {
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/]{22}==)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(directive(csp, "script-src")).not.toContain("'unsafe-inline'");
      // NextResponse.next({ request: { headers } }) passes request headers on as x-middleware-request-*.
      expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
      expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
      return nonce;
    });
    expect(policies[0]).not.toBe(policies[1]);
  });
});
