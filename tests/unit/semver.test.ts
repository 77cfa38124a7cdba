import { describe, expect, it } from "vitest";
import { compareSemver, newestVersionFirst } from "@/lib/packages/semver";

describe("package version order", () => {
  it("compares numbers as numbers, and a release above its pre-releases", () => {
    expect(compareSemver("1.10.0", "1.9.0")).toBeGreaterThan(0);
    expect(compareSemver("2.0.0", "10.0.0")).toBeLessThan(0);
    expect(compareSemver("1.0.0", "1.0.0-rc.1")).toBeGreaterThan(0);
    expect(compareSemver("1.0.0-rc.1", "1.0.0-rc.2")).toBeLessThan(0);
    expect(compareSemver("0.0.1", "0.0.1")).toBe(0);
    expect(compareSemver("99999999999999999999.0.0", "99999999999999999998.0.0")).toBeGreaterThan(0);
  });

  it("sorts versions newest first", () => {
    const sorted = newestVersionFirst(["1.9.0", "1.10.0", "1.10.0-beta", "0.9.12", "1.2.3"].map((version) => ({ version })));
    expect(sorted.map((v) => v.version)).toEqual(["1.10.0", "1.10.0-beta", "1.9.0", "1.2.3", "0.9.12"]);
  });
});
