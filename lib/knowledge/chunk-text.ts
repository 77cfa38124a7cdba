import { yieldEvery } from "@/lib/cooperative";
import { countTokens, tokenPieces } from "@/lib/llm/count-tokens";

// Cuts a document's text into search chunks (SPEC §2, issue 4): on headings and
// paragraphs, about 500–1,000 tokens each. A section starts a new chunk once the
// current one has reached MIN_TOKENS; a chunk never grows past MAX_TOKENS, and
// when a section has to be cut mid-way the next chunk repeats the tail of the
// previous one (up to OVERLAP_TOKENS) so no sentence loses its context.
//
// Linear in the text (issue 14): the text is tokenized once, as cl100k pieces
// with their counts, and a paragraph over the limit is cut on those pieces (at
// the last sentence end that fits, else between words); a block's count is the
// sum of its pieces'. Documents are up to 2,000,000 characters and this runs on
// the request thread, so it gives the event loop a turn every few milliseconds.

export const MIN_TOKENS = 500;
export const MAX_TOKENS = 1_000;
export const OVERLAP_TOKENS = 120;

export type Chunk = { seq: number; heading: string; text: string; tokenCount: number };

type Block = { text: string; tokens: number; heading?: { level: number; title: string } };
type Piece = { text: string; tokens: number };

/** Longer lines are never headings (and the heading rules stay cheap on giant lines). */
const MAX_HEADING_LINE = 300;

/** An ATX heading (`## Title ##`): its level and title, or null. */
export function parseHeading(line: string): { level: number; title: string } | null {
  if (line.length > MAX_HEADING_LINE) return null;
  const m = /^(#{1,6})[ \t]+(.*)$/.exec(line);
  if (!m) return null;
  let title = m[2]!.trim();
  const closing = /[ \t]#+$/.exec(title); // an optional closing sequence, after a space
  if (closing) title = title.slice(0, closing.index).trim();
  else if (/^#+$/.test(title)) title = "";
  return title ? { level: m[1]!.length, title } : null;
}

const endsSentence = (piece: string) => /[.!?]\s*$|\n/.test(piece);

const blockOf = (pieces: Piece[]): Block => ({ text: pieces.map((p) => p.text).join("").trim(), tokens: pieces.reduce((n, p) => n + p.tokens, 0) });

/** A paragraph as blocks of at most MAX_TOKENS: cut after the last sentence that fits, else between pieces. */
async function splitParagraph(body: string, pause: () => Promise<void>): Promise<Block[]> {
  const blocks: Block[] = [];
  let current: Piece[] = [];
  let tokens = 0;
  let sentenceEnd = 0; // pieces in `current` up to the last sentence end
  for (const piece of tokenPieces(body)) {
    while (tokens + piece.tokens > MAX_TOKENS && current.length) {
      const cut = sentenceEnd || current.length;
      const block = blockOf(current.slice(0, cut));
      if (block.text) blocks.push(block);
      current = current.slice(cut);
      tokens -= block.tokens;
      sentenceEnd = 0;
    }
    current.push(piece);
    tokens += piece.tokens;
    if (endsSentence(piece.text)) sentenceEnd = current.length;
    await pause();
  }
  const last = blockOf(current);
  if (last.text) blocks.push(last);
  return blocks;
}

async function blocksOf(text: string, pause: () => Promise<void>): Promise<Block[]> {
  const blocks: Block[] = [];
  let fence = false;
  let paragraph: string[] = [];
  const flush = async () => {
    const body = paragraph.join("\n").trim();
    paragraph = [];
    if (body) blocks.push(...(await splitParagraph(body, pause)));
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = fence ? null : parseHeading(line);
    if (heading) {
      await flush();
      blocks.push({ text: line.trim(), tokens: countTokens(line), heading });
    } else if (!fence && !line.trim()) {
      await flush();
    } else {
      paragraph.push(line);
    }
  }
  await flush();
  return blocks;
}

export async function chunkText(text: string): Promise<Chunk[]> {
  const pause = yieldEvery();
  const chunks: Chunk[] = [];
  const path: string[] = []; // the heading path at the current block
  let current: Block[] = [];
  let tokens = 0;
  let heading = "";

  const close = () => {
    if (!current.length) return;
    const body = current.map((b) => b.text).join("\n\n");
    // Each block was counted once; the blank lines between them are one token each in cl100k.
    chunks.push({ seq: chunks.length + 1, heading, text: body, tokenCount: tokens + current.length - 1 });
    current = [];
    tokens = 0;
  };
  const start = () => {
    heading = path.filter(Boolean).join(" › ");
  };

  for (const block of await blocksOf(text, pause)) {
    if (block.heading) {
      if (tokens >= MIN_TOKENS) close();
      path.length = block.heading.level - 1;
      path[block.heading.level - 1] = block.heading.title;
      if (!current.length) start();
      current.push(block);
      tokens += block.tokens;
      continue;
    }
    if (current.length && tokens + block.tokens > MAX_TOKENS) {
      // Cut mid-section: carry the previous chunk's last paragraphs over as overlap.
      const carried: Block[] = [];
      let carriedTokens = 0;
      for (let i = current.length - 1; i >= 0; i--) {
        const b = current[i]!;
        if (b.heading || carriedTokens + b.tokens > OVERLAP_TOKENS || carriedTokens + b.tokens + block.tokens > MAX_TOKENS) break;
        carried.unshift(b);
        carriedTokens += b.tokens;
      }
      close();
      start();
      current = carried;
      tokens = carriedTokens;
    }
    if (!current.length) start();
    current.push(block);
    tokens += block.tokens;
  }
  if (current.length) close();
  return chunks;
}
