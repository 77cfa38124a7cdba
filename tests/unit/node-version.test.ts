import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The project runs on Node 22 LTS (issue 17: ≥ 22.12, for pg-boss): the tests run on what
// package.json's "engines" asks for, and .ci/run's pinned release is one of those.

const engines = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;
const atLeast = (version: string, minimum: string) => {
  const [a, b] = [version, minimum].map((v) => v.replace(/^v|^>=/, "").split(".").map(Number));
  for (let i = 0; i < 3; i++) if ((a![i] ?? 0) !== (b![i] ?? 0)) return (a![i] ?? 0) > (b![i] ?? 0);
  return true;
};

describe("Node.js", () => {
  it("is the version package.json's engines asks for", () => {
    expect(engines).toMatch(/^>=22\.\d+$/);
    expect(atLeast(process.versions.node, engines), `running on ${process.versions.node}, engines ${engines}`).toBe(true);
  });

  it("is pinned in .ci/run and .nvmrc to a release engines accepts", () => {
    const pinned = /^NODE_PINNED=(\S+)$/m.exec(readFileSync(".ci/run", "utf8"))?.[1];
    expect(pinned).toMatch(/^22\.\d+\.\d+$/);
    expect(atLeast(pinned!, engines)).toBe(true);
    expect(readFileSync(".nvmrc", "utf8").trim()).toBe(pinned);
  });
});
