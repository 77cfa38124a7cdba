import { describe, expect, it } from "vitest";
import { buildAuthOptions } from "@/lib/auth/auth-options";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";
import { parseEnv } from "@/lib/env";
import { workspaceSlug } from "@/lib/workspaces/workspace-slug";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths and refuses everything else", () => {
    expect(safeCallbackUrl("/keys?x=1")).toBe("/keys?x=1");
    expect(safeCallbackUrl("/agents/security-scanner#pricing")).toBe("/agents/security-scanner#pricing");
    expect(safeCallbackUrl("/search?q=a%2Fb")).toBe("/search?q=a%2Fb");
    expect(safeCallbackUrl("/%")).toBe("/%"); // a stray % decodes to nothing: no throw
    expect(safeCallbackUrl(undefined)).toBe("/workspace");
  });

  // What a browser (or Next's query parsing) turns each into: none may leave the site, none may throw.
  const nasty = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "\\evil.example",
    "/\t/evil.example", // the audit's finding, as the page receives `/%09/evil.example`
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example", // was a 500: a newline in the Location header
    "/%0d%0aSet-Cookie:x=1",
    "/\r/evil.example",
    "/\u0000/evil.example",
    "/%2f%2fevil.example",
    "/%2F/evil.example",
    "%2f%2fevil.example",
    "/%5cevil.example",
    "/%5C%5Cevil.example",
    "/%252f%252fevil.example", // encoded twice
    "/.//evil.example",
    "/%2e//evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "http://agora.invalid.evil.example/",
  ];
  it.each(nasty)("refuses %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/workspace");
  });

  it("with an origin (next-auth's redirect callback), accepts absolute URLs on it only", () => {
    expect(safeCallbackUrl("https://agora.example/keys", "/workspace", "https://agora.example")).toBe("/keys");
    expect(safeCallbackUrl("https://agora.example.evil.example/keys", "/workspace", "https://agora.example")).toBe("/workspace");
    expect(safeCallbackUrl("https://agora.example/\t/evil.example", "/workspace", "https://agora.example")).toBe("/workspace");
  });

  it("next-auth's redirect callback sends the browser nowhere but this site", async () => {
    const redirect = buildAuthOptions(parseEnv({ DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/agora" })).callbacks!.redirect!;
    const baseUrl = "https://agora.example";
    expect(await redirect({ url: "/keys", baseUrl })).toBe("https://agora.example/keys");
    expect(await redirect({ url: "https://agora.example/billing?x=1", baseUrl })).toBe("https://agora.example/billing?x=1");
    for (const url of ["https://evil.example/", "/\t/evil.example", "//evil.example", "/%0a/evil.example"]) {
      expect(new URL(await redirect({ url, baseUrl })).origin).toBe(baseUrl);
    }
  });
});

describe("workspaceSlug", () => {
  it("is URL-safe with a random suffix", () => {
    const slug = workspaceSlug("Zoë's Ünïcode Workspace!");
    expect(slug).toMatch(/^zoe-s-unicode-workspace-[0-9a-f]{8}$/);
    expect(workspaceSlug("!!!")).toMatch(/^workspace-[0-9a-f]{8}$/);
  });
});
