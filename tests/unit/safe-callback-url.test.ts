import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";
import { workspaceSlug } from "@/lib/workspaces/workspace-slug";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths and refuses everything else", () => {
    expect(safeCallbackUrl("/keys?x=1")).toBe("/keys?x=1");
    expect(safeCallbackUrl("https://evil.example/")).toBe("/workspace");
    expect(safeCallbackUrl("//evil.example/")).toBe("/workspace");
    expect(safeCallbackUrl("/\\evil.example")).toBe("/workspace");
    expect(safeCallbackUrl(undefined)).toBe("/workspace");
  });
});

describe("workspaceSlug", () => {
  it("is URL-safe with a random suffix", () => {
    const slug = workspaceSlug("Zoë's Ünïcode Workspace!");
    expect(slug).toMatch(/^zoe-s-unicode-workspace-[0-9a-f]{8}$/);
    expect(workspaceSlug("!!!")).toMatch(/^workspace-[0-9a-f]{8}$/);
  });
});
