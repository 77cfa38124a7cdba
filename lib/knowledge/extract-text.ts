import { compile, type FormatCallback } from "html-to-text";
import { yieldEvery } from "@/lib/cooperative";
import type { DocumentFormat } from "@/lib/generated/prisma/enums";
import { parseHeading } from "./chunk-text";
import { htmlFragments } from "./html-fragments";

// Turns what a customer pasted or uploaded into plain text with markdown-style
// headings (which the chunker cuts on): .md and .txt as they are, .html through
// html-to-text (scripts, styles and images dropped, headings kept as `#`), .pdf
// through unpdf (Mozilla's pdf.js). Anything else, or bytes that are not what
// they claim to be, is a DocumentInputError with a message for the customer.

export class DocumentInputError extends Error {
  constructor(
    message: string,
    readonly code: "unsupported_media_type" | "bad_request" = "bad_request",
  ) {
    super(message);
  }
}

export type Extracted = { format: DocumentFormat; text: string; title: string | null };

const heading =
  (level: number): FormatCallback =>
  (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addInline(`${"#".repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };

const headingTags = [1, 2, 3, 4, 5, 6] as const;

const convert = compile({
  wordwrap: false,
  formatters: Object.fromEntries(headingTags.map((n) => [`h${n}`, heading(n)])),
  selectors: [
    ...headingTags.map((n) => ({ selector: `h${n}`, format: `h${n}` })),
    { selector: "a", options: { ignoreHref: true } },
    { selector: "img", format: "skip" },
    { selector: "table", format: "dataTable" },
  ],
});

/** HTML as text, a small fragment at a time (see html-fragments), giving the event loop a turn in between. */
export async function htmlToText(html: string): Promise<Extracted> {
  const pause = yieldEvery();
  const title = /<title[^<>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.slice(0, 1_000).trim() || null;
  const parts: string[] = [];
  for (const fragment of htmlFragments(html)) {
    const part = convert(fragment).trim();
    if (part) parts.push(part);
    await pause();
  }
  return { format: "HTML", text: parts.join("\n\n"), title: title && convert(title) };
}

async function pdfToText(bytes: Uint8Array): Promise<Extracted> {
  const { getDocumentProxy, extractText, getMeta } = await import("unpdf");
  let doc;
  try {
    doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch {
    throw new DocumentInputError("This file is not a readable PDF.");
  }
  try {
    const [{ text }, meta] = await Promise.all([extractText(doc, { mergePages: false }), getMeta(doc).catch(() => null)]);
    const title = (meta?.info as { Title?: unknown } | undefined)?.Title;
    return { format: "PDF", text: text.join("\n\n"), title: typeof title === "string" && title.trim() ? title.trim() : null };
  } finally {
    await doc.loadingTask.destroy();
  }
}

function utf8(bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new DocumentInputError("This file is binary, not text.");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new DocumentInputError("This file is not UTF-8 text.");
  }
}

function firstMarkdownHeading(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const heading = parseHeading(line);
    if (heading?.level === 1) return heading.title;
  }
  return null;
}

export const supportedExtensions = [".md", ".markdown", ".txt", ".html", ".htm", ".pdf"] as const;

/** Text from an uploaded file, by its extension (the browser's MIME type is not trusted). */
export async function extractFromFile(fileName: string, bytes: Uint8Array): Promise<Extracted> {
  const ext = /\.[^.]+$/.exec(fileName.toLowerCase())?.[0] ?? "";
  switch (ext) {
    case ".md":
    case ".markdown": {
      const text = utf8(bytes);
      return { format: "MARKDOWN", text, title: firstMarkdownHeading(text) };
    }
    case ".txt":
      return { format: "TEXT", text: utf8(bytes), title: null };
    case ".html":
    case ".htm":
      return htmlToText(utf8(bytes));
    case ".pdf":
      return pdfToText(bytes);
    default:
      throw new DocumentInputError(`Upload a ${supportedExtensions.join(", ")} file; '${ext || fileName}' is not supported.`, "unsupported_media_type");
  }
}

/** Pasted text: markdown when it has markdown headings, plain text otherwise. */
export function extractFromPaste(text: string): Extracted {
  if (text.includes("\u0000")) throw new DocumentInputError("The text contains binary data.");
  const title = firstMarkdownHeading(text);
  return { format: title || /^#{2,6}\s/m.test(text) ? "MARKDOWN" : "TEXT", text, title };
}
