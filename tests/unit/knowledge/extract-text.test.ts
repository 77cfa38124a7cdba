import { describe, expect, it } from "vitest";
import { DocumentInputError, extractFromFile, extractFromPaste, htmlToText } from "@/lib/knowledge/extract-text";
import { pdfWithText } from "../../helpers/pdf";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("extract text", () => {
  it("keeps markdown as it is and takes the first heading as the title", async () => {
    const r = await extractFromFile("Guide.MD", bytes("\uFEFF# Setup guide\n\nRun it."));
    expect(r).toEqual({ format: "MARKDOWN", text: "# Setup guide\n\nRun it.", title: "Setup guide" });
  });

  it("converts HTML to text with headings as markdown, dropping scripts, styles and images", async () => {
    const r = await htmlToText(
      `<html><head><title>Ops &amp; you</title><style>p{color:red}</style><script>alert("x")</script></head>
       <body><h1>Rollback</h1><p>Run <b>deploy rollback</b>.</p><img src="x.png" alt="diagram"><h2>After</h2><ul><li>Post in #releases</li></ul></body></html>`,
    );
    expect(r.title).toBe("Ops & you");
    expect(r.format).toBe("HTML");
    expect(r.text).toContain("# Rollback\n\nRun deploy rollback.");
    expect(r.text).toContain("## After");
    expect(r.text).toContain("Post in #releases");
    expect(r.text).not.toMatch(/alert|color:red|diagram|Ops/);
  });

  // Issue 14: 50,000 nested <div>s overflowed html-to-text's stack (a 500 after 5.5 s).
  it("converts HTML nested 50,000 deep, or never closed, to its text", async () => {
    const nested = await htmlToText(`<p>Start</p>${"<div>".repeat(50_000)}deep text${"</div>".repeat(50_000)}<p>End</p>`);
    expect(nested.text).toBe("Start\n\ndeep text\n\nEnd");
    const unclosed = await htmlToText(`${"<b><span>".repeat(50_000)}bold text`);
    expect(unclosed.text).toBe("bold text");
  });

  it("converts a large page a fragment at a time without losing its structure or text", async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => `<tr><td>row ${i}</td><td>${i * 2}</td></tr>`).join("");
    const html = `<h1>Prices</h1><table>${rows}</table><ul>${"<li>item &amp; more".repeat(2_000)}</ul><p>${"long ".repeat(20_000)}</p><h2>Tail</h2>`;
    const { text } = await htmlToText(html);
    expect(text.startsWith("# Prices")).toBe(true);
    for (const i of [0, 1_500, 2_999]) expect(text).toMatch(new RegExp(`row ${i}\\s+${i * 2}\\n`));
    expect(text.match(/\* item & more/g)).toHaveLength(2_000);
    expect(text.match(/long/g)).toHaveLength(20_000);
    expect(text.endsWith("## Tail")).toBe(true);
  });

  it("keeps every cell of a long table whose rows and cells leave out their end tags, and of a cell longer than a fragment", async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => `<tr><td>row${i}<td>${"wide ".repeat(i % 500 === 0 ? 5_000 : 1)}`).join("");
    const { text } = await htmlToText(`<table>${rows}</table><p>after</p>`);
    const seen = new Set(text.match(/row\d+/g));
    expect(seen.size).toBe(3_000);
    expect(text.match(/wide/g)).toHaveLength(2_994 + 6 * 5_000);
    expect(text.trimEnd().endsWith("after")).toBe(true);
  });

  it("extracts the text and title of a PDF", async () => {
    const r = await extractFromFile("policy.pdf", pdfWithText(["Refund policy", "Annual plans are refunded within 30 days."], "Refunds"));
    expect(r).toEqual({ format: "PDF", text: "Refund policy\nAnnual plans are refunded within 30 days.", title: "Refunds" });
  });

  it("refuses a file that is not what its extension says, binary text, and unknown types", async () => {
    await expect(extractFromFile("fake.pdf", bytes("just text"))).rejects.toThrow("not a readable PDF");
    await expect(extractFromFile("notes.txt", new Uint8Array([0x68, 0x00, 0x69]))).rejects.toThrow("binary");
    await expect(extractFromFile("notes.txt", new Uint8Array([0xff, 0xfe, 0xfd]))).rejects.toThrow("not UTF-8");
    const err = await extractFromFile("photo.png", new Uint8Array([1, 2, 3])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentInputError);
    expect((err as DocumentInputError).code).toBe("unsupported_media_type");
  });

  it("tells pasted markdown from plain text", () => {
    expect(extractFromPaste("# FAQ\n\nText").format).toBe("MARKDOWN");
    expect(extractFromPaste("Just a note.").format).toBe("TEXT");
    expect(() => extractFromPaste("a\u0000b")).toThrow(DocumentInputError);
  });
});
