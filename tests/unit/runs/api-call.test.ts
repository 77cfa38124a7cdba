import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { curlCommand, fetchSnippet, shellQuote } from "@/components/runs/api-call";

const tricky = { text: `it's "quoted" $HOME \`id\` \\ back\nslash ' '' end`, files: [{ path: "a b.py", content: "x = '1'\n" }] };

/** What the shell hands `printf` for a quoted word: proves the quoting by running a real shell. */
const throughShell = (word: string) => execFileSync("sh", ["-c", `printf '%s' ${word}`], { encoding: "utf8" });

describe("Copy as API call", () => {
  it("quotes any text as one shell word, single quotes included", () => {
    for (const text of ["plain", "it's", "''", "'", "$(id) `id` $HOME \\n", "line\nbreak", ""]) expect(throughShell(shellQuote(text))).toBe(text);
  });

  it("builds a curl command whose body is exactly the run's agent and input", () => {
    const command = curlCommand("https://agora.example", "security-scanner", tricky);
    expect(command).toContain(`-H "Authorization: Bearer $AGORA_API_KEY"`);
    const body = /--data-raw ('(?:[^']|'\\'')*')$/s.exec(command)?.[1];
    expect(body).toBeDefined();
    expect(JSON.parse(throughShell(body!))).toEqual({ agent: "security-scanner", input: tricky });
  });

  it("builds a TypeScript fetch whose body literal is the run's agent and input", () => {
    const code = fetchSnippet("https://agora.example", "security-scanner", tricky);
    expect(code).toContain('fetch("https://agora.example/api/v1/runs"');
    expect(code).toContain("Bearer ${process.env.AGORA_API_KEY}");
    const literal = /body: JSON\.stringify\(([\s\S]*)\),\n\}\);/.exec(code)?.[1];
    expect(JSON.parse(literal!)).toEqual({ agent: "security-scanner", input: tricky });
  });
});
