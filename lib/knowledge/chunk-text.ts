import { countTokens } from "@/lib/llm/count-tokens";

// Cuts a document's text into search chunks (SPEC §2, issue 4): on headings and
// paragraphs, about 500–1,000 tokens each. A section starts a new chunk once the
// current one has reached MIN_TOKENS; a chunk never grows past MAX_TOKENS, and
// when a section has to be cut mid-way the next chunk repeats the tail of the
// previous one (up to OVERLAP_TOKENS) so no sentence loses its context.

export const MIN_TOKENS = 500;
export const MAX_TOKENS = 1_000;
export const OVERLAP_TOKENS = 120;

export type Chunk = { seq: number; heading: string; text: string; tokenCount: number };

type Block = { text: string; tokens: number; heading?: { level: number; title: string } };

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Splits a paragraph that alone exceeds MAX_TOKENS at sentence ends, then at words. */
function splitLong(text: string): string[] {
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [text];
  const pieces: string[] = [];
  let current = "";
  const push = (piece: string) => {
    if (countTokens(current + piece) <= MAX_TOKENS) return void (current += piece);
    if (current) pieces.push(current.trim());
    current = piece;
    // One "sentence" longer than the limit (a minified line, a table): cut on words.
    while (countTokens(current) > MAX_TOKENS) {
      const words = current.split(/(\s+)/);
      let head = "";
      for (const w of words) {
        if (countTokens(head + w) > MAX_TOKENS) break;
        head += w;
      }
      if (!head) head = current.slice(0, 2_000); // a single enormous "word"
      pieces.push(head.trim());
      current = current.slice(head.length);
    }
  };
  for (const s of sentences) push(s);
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let fence = false;
  let paragraph: string[] = [];
  const flush = () => {
    const body = paragraph.join("\n").trim();
    paragraph = [];
    if (!body) return;
    const tokens = countTokens(body);
    if (tokens <= MAX_TOKENS) blocks.push({ text: body, tokens });
    else for (const piece of splitLong(body)) blocks.push({ text: piece, tokens: countTokens(piece) });
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const heading = !fence && HEADING.exec(line);
    if (heading) {
      flush();
      const title = heading[2]!.trim();
      blocks.push({ text: line.trim(), tokens: countTokens(line), heading: { level: heading[1]!.length, title } });
    } else if (!fence && !line.trim()) {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

export function chunkText(text: string): Chunk[] {
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

  for (const block of blocksOf(text)) {
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
