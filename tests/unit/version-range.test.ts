import { describe, expect, it } from "vitest";
import { inRange, isVersionRange, parseAgentRef, pickVersion } from "@/lib/packages/version-range";

describe("version ranges (issue 20 pinning)", () => {
  it("reads slug@range, refusing what is not a range", () => {
    expect(parseAgentRef("csv-tool")).toEqual({ slug: "csv-tool", range: null });
    expect(parseAgentRef("csv-tool@1.4.2")).toEqual({ slug: "csv-tool", range: "1.4.2" });
    expect(parseAgentRef("csv-tool@1")).toEqual({ slug: "csv-tool", range: "1" });
    expect(parseAgentRef("csv-tool@^1")).toMatchObject({ error: expect.stringContaining("'^1' is not a version") });
    expect(parseAgentRef("@1")).toMatchObject({ error: expect.any(String) });
    expect(isVersionRange("01")).toBe(false);
    expect(isVersionRange("2.0.0-rc.1")).toBe(true);
  });

  it("matches a major, a minor or one exact version; pre-releases only exactly", () => {
    expect(inRange("1.4.2", "1")).toBe(true);
    expect(inRange("1.4.2", "1.4")).toBe(true);
    expect(inRange("11.0.0", "1")).toBe(false);
    expect(inRange("1.40.0", "1.4")).toBe(false);
    expect(inRange("1.4.2", "1.4.2")).toBe(true);
    expect(inRange("1.4.20", "1.4.2")).toBe(false);
    expect(inRange("2.0.0-rc.1", "2")).toBe(false);
    expect(inRange("2.0.0-rc.1", "2.0.0-rc.1")).toBe(true);
  });

  it("picks the newest published in range, else a yanked one in range, never one outside", () => {
    const versions = [
      { version: "2.0.0", status: "PUBLISHED" },
      { version: "1.2.0", status: "YANKED" },
      { version: "1.1.0", status: "PUBLISHED" },
      { version: "0.9.0", status: "YANKED" },
    ];
    expect(pickVersion(versions, null)?.version).toBe("2.0.0");
    expect(pickVersion(versions, "1")?.version).toBe("1.1.0");
    expect(pickVersion(versions, "1.2.0")?.version).toBe("1.2.0");
    expect(pickVersion(versions, "0")?.version).toBe("0.9.0");
    expect(pickVersion(versions, "3")).toBeNull();
    expect(pickVersion([{ version: "1.0.0", status: "YANKED" }], null)).toBeNull();
  });
});
