import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";

// Next's own dev log: it prints each server action's arguments (the sign-up and
// sign-in forms carry passwords) and each request's URL (mailed links carry tokens).

describe("next.config.ts logging", () => {
  it("does not log server function arguments", () => {
    expect(nextConfig.logging).toMatchObject({ serverFunctions: false });
  });

  it("does not log requests whose URL carries a token or an OAuth code", () => {
    const logging = nextConfig.logging;
    const ignore = logging && typeof logging.incomingRequests === "object" ? (logging.incomingRequests.ignore ?? []) : [];
    const ignored = (url: string) => ignore.some((pattern) => pattern.test(url));
    expect(ignored("/reset-password?token=abc123")).toBe(true);
    expect(ignored("/invitations/accept?workspace=x&token=abc123")).toBe(true);
    expect(ignored("/api/auth/callback/github?code=abc&state=s")).toBe(true);
    expect(ignored("/agents?q=tokenizer")).toBe(false);
    expect(ignored("/workspace")).toBe(false);
  });
});

// Next streams every response without a Content-Length, so its gzip never applies
// its 1 KB threshold: each small JSON answer got a fresh zlib stream (issue 18).
describe("next.config.ts compression", () => {
  it("leaves compression to a proxy in front: the app process gzips nothing", () => {
    expect(nextConfig.compress).toBe(false);
  });
});
