import { describe, expect, it } from "vitest";
import { chunkText, MAX_TOKENS, MIN_TOKENS } from "@/lib/knowledge/chunk-text";
import { demoDocuments } from "@/lib/knowledge/demo-documents";
import { countTokens } from "@/lib/llm/count-tokens";

// A paragraph of about `tokens` tokens, numbered so every paragraph is distinct.
const paragraph = (n: number, tokens = 120) => {
  const words: string[] = [];
  while (countTokens(words.join(" ")) < tokens) words.push(`alpha${n} beta gamma delta.`);
  return words.join(" ");
};

describe("chunkText", () => {
  it("keeps a short document in one chunk under its first heading", () => {
    const chunks = chunkText("# Guide\n\nIntro paragraph.\n\n## Setup\n\nInstall it.");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ seq: 1, heading: "Guide", text: "# Guide\n\nIntro paragraph.\n\n## Setup\n\nInstall it." });
  });

  it("starts a new chunk at a heading once the current one has reached the minimum", () => {
    const sectionA = Array.from({ length: 5 }, (_, i) => paragraph(i)).join("\n\n"); // ~600 tokens
    const text = `# Manual\n\n## Install\n\n${sectionA}\n\n## Configure\n\nSet the port.\n\n### Advanced\n\nTune the pool.`;
    const chunks = chunkText(text);
    expect(chunks.map((c) => c.heading)).toEqual(["Manual", "Manual › Configure"]);
    expect(chunks[0]!.tokenCount).toBeGreaterThanOrEqual(MIN_TOKENS);
    expect(chunks[1]!.text).toBe("## Configure\n\nSet the port.\n\n### Advanced\n\nTune the pool.");
  });

  it("cuts a long section on paragraphs, within the limit, with the previous paragraph repeated as overlap", () => {
    const paragraphs = Array.from({ length: 20 }, (_, i) => paragraph(i, 100));
    const chunks = chunkText(`# Long\n\n${paragraphs.join("\n\n")}`);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
    // The count is summed from the blocks: within a token or two per block of counting the text whole.
    for (const c of chunks) expect(Math.abs(c.tokenCount - countTokens(c.text))).toBeLessThanOrEqual(c.text.split("\n\n").length);
    for (const c of chunks) expect(c.heading).toBe("Long");
    // Each later chunk begins with the last paragraph of the one before it.
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1]!.text.split("\n\n").at(-1)!;
      expect(chunks[i]!.text.startsWith(previousLast)).toBe(true);
    }
    // Nothing is lost: every paragraph is in some chunk.
    for (const p of paragraphs) expect(chunks.some((c) => c.text.includes(p))).toBe(true);
  });

  it("splits a single huge paragraph (no blank lines) on sentences and words", () => {
    const chunks = chunkText(`${"word ".repeat(5_000)}end.`);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
  });

  it("does not take a '#' inside a code fence for a heading", () => {
    const chunks = chunkText("# Script\n\n```sh\n# not a heading\necho hi\n```");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBe("Script");
  });

  it("cuts the seeded runbooks into chunks that keep their sections", () => {
    for (const doc of demoDocuments) {
      const chunks = chunkText(doc.text);
      expect(chunks.length).toBeGreaterThanOrEqual(1);
      expect(chunks.map((c) => c.text).join("\n\n")).toContain(doc.text.split("\n").at(-2)!.trim());
      for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
    }
  });
});
