import { describe, expect, it } from "vitest";
import { resolveTemplate, resultTools, TemplateProblem } from "@/lib/packages/hosted/templates";

// A hosted manifest's offline templates (lib/packages/hosted/templates.ts).

const from = {
  input: { csv: "a,b\n1,2", "a/b": { "m~n": 7 }, list: [10, 20] },
  results: { profile_csv: { rows: 1, columns: [{ name: "a" }, { name: "b" }] }, "run_agent*": [{ runId: "r1" }, { runId: "r2" }] },
};

describe("offline templates", () => {
  it("fills in $input and $result references at any depth and keeps literal JSON as it is", () => {
    const template = {
      csv: { $input: "/csv" },
      firstColumn: { $result: "/profile_csv/columns/0/name" },
      runs: [{ $result: "/run_agent*/1/runId" }, "literal", 3, null, true],
      escaped: { $input: "/a~1b/m~0n" },
      second: { $input: "/list/1" },
      whole: { $input: "" },
      notAReference: { $input: "/csv", also: 1 },
    };
    expect(resolveTemplate(template, from, "hosted.offline.output")).toEqual({
      csv: "a,b\n1,2",
      firstColumn: "a",
      runs: ["r2", "literal", 3, null, true],
      escaped: 7,
      second: 20,
      whole: from.input,
      notAReference: { $input: "/csv", also: 1 },
    });
  });

  it("names the template path of a pointer to nothing", () => {
    const attempt = (t: unknown) => () => resolveTemplate(t, from, "hosted.offline.calls[2].input");
    expect(attempt({ query: [{ $result: "/profile_csv/columns/5/name" }] })).toThrow(TemplateProblem);
    expect(attempt({ query: [{ $result: "/profile_csv/columns/5/name" }] })).toThrow(/at hosted\.offline\.calls\[2\]\.input\.query\[0\]/);
    expect(attempt({ $input: "/list/-" })).toThrow(/"\/list\/-" in the run's input/);
    expect(attempt({ $input: "csv" })).toThrow(TemplateProblem); // a pointer starts with "/"
    expect(attempt({ $result: "/search_documents" })).toThrow(/in the tool results so far/);
  });

  it("lists the tools whose results a template uses", () => {
    expect([...resultTools({ a: { $result: "/profile_csv/rows" }, b: [{ $result: "/run_agent*/0" }], c: { $input: "/x" } })].sort()).toEqual(["profile_csv", "run_agent"]);
  });
});
