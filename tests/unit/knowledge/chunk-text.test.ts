import { describe, expect, it } from "vitest";
import { chunkText, MAX_TOKENS, MIN_TOKENS, parseHeading } from "@/lib/knowledge/chunk-text";
import { demoDocuments } from "@/lib/knowledge/demo-documents";
import { extractFromPaste } from "@/lib/knowledge/extract-text";
import { countTokens } from "@/lib/llm/count-tokens";

// A paragraph of about `tokens` tokens, numbered so every paragraph is distinct.
const paragraph = (n: number, tokens = 120) => {
  const words: string[] = [];
  while (countTokens(words.join(" ")) < tokens) words.push(`alpha${n} beta gamma delta.`);
  return words.join(" ");
};

describe("chunkText", () => {
  it("keeps a short document in one chunk under its first heading", async () => {
    const chunks = await chunkText("# Guide\n\nIntro paragraph.\n\n## Setup\n\nInstall it.");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ seq: 1, heading: "Guide", text: "# Guide\n\nIntro paragraph.\n\n## Setup\n\nInstall it." });
  });

  it("starts a new chunk at a heading once the current one has reached the minimum", async () => {
    const sectionA = Array.from({ length: 5 }, (_, i) => paragraph(i)).join("\n\n"); // ~600 tokens
    const text = `# Manual\n\n## Install\n\n${sectionA}\n\n## Configure\n\nSet the port.\n\n### Advanced\n\nTune the pool.`;
    const chunks = await chunkText(text);
    expect(chunks.map((c) => c.heading)).toEqual(["Manual", "Manual › Configure"]);
    expect(chunks[0]!.tokenCount).toBeGreaterThanOrEqual(MIN_TOKENS);
    expect(chunks[1]!.text).toBe("## Configure\n\nSet the port.\n\n### Advanced\n\nTune the pool.");
  });

  it("cuts a long section on paragraphs, within the limit, with the previous paragraph repeated as overlap", async () => {
    const paragraphs = Array.from({ length: 20 }, (_, i) => paragraph(i, 100));
    const chunks = await chunkText(`# Long\n\n${paragraphs.join("\n\n")}`);
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

  it("splits a single huge paragraph (no blank lines) on sentences and words", async () => {
    const chunks = await chunkText(`${"word ".repeat(5_000)}end.`);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
  });

  // Issue 14: the chunker re-counted tokens for every word it added (5,000 words took 19.8 s).
  it("cuts a 50,000-word paragraph without sentence ends in linear time", { timeout: 10_000 }, async () => {
    const chunks = await chunkText("word ".repeat(50_000));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
    expect(chunks.map((c) => c.text).join(" ")).toContain("word word");
  });

  it("cuts a long paragraph after its last sentence that fits, with honest counts", async () => {
    const sentences = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} explains one more step of the rollback.`);
    const chunks = await chunkText(sentences.join(" "));
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
      expect(Math.abs(c.tokenCount - countTokens(c.text))).toBeLessThanOrEqual(c.text.split("\n\n").length);
      expect(c.text).toMatch(/\.$/);
    }
    for (const s of sentences) expect(chunks.some((c) => c.text.includes(s))).toBe(true);
  });

  it("cuts one giant word into pieces that keep every character", async () => {
    const chunks = await chunkText("x".repeat(200_000));
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
    // Later chunks may repeat the previous piece as overlap, so at least every character is there.
    expect(chunks.reduce((n, c) => n + c.text.replace(/\s/g, "").length, 0)).toBeGreaterThanOrEqual(200_000);
  });

  // Issue 14 (found while fixing it): the heading pattern backtracked cubically on spaces after "# a".
  it("reads headings in linear time on a giant line that starts like one", { timeout: 10_000 }, async () => {
    const line = `# a${" ".repeat(2_000)}b`; // the old pattern took 16 s on this line
    expect(parseHeading(line)).toBeNull();
    expect(parseHeading("## Setup ##")).toEqual({ level: 2, title: "Setup" });
    expect(parseHeading("# C# tips")).toEqual({ level: 1, title: "C# tips" });
    expect(extractFromPaste(line).title).toBeNull();
    expect((await chunkText(line)).length).toBeGreaterThan(0);
  });

  it("does not take a '#' inside a code fence for a heading", async () => {
    const chunks = await chunkText("# Script\n\n```sh\n# not a heading\necho hi\n```");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.heading).toBe("Script");
  });

  it("cuts the seeded runbooks into chunks that keep their sections", async () => {
    for (const doc of demoDocuments) {
      const chunks = await chunkText(doc.text);
      expect(chunks.length).toBeGreaterThanOrEqual(1);
      expect(chunks.map((c) => c.text).join("\n\n")).toContain(doc.text.split("\n").at(-2)!.trim());
      for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(MAX_TOKENS);
    }
  });
});
