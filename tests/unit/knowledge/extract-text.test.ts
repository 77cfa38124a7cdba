import { describe, expect, it } from "vitest";
import { DocumentInputError, extractFromFile, extractFromPaste, htmlToText } from "@/lib/knowledge/extract-text";
import { pdfWithText } from "../../helpers/pdf";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("extract text", () => {
  it("keeps markdown as it is and takes the first heading as the title", async () => {
    const r = await extractFromFile("Guide.MD", bytes("\uFEFF# Setup guide\n\nRun it."));
    expect(r).toEqual({ format: "MARKDOWN", text: "# Setup guide\n\nRun it.", title: "Setup guide" });
  });

  it("converts HTML to text with headings as markdown, dropping scripts, styles and images", () => {
    const r = htmlToText(
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
