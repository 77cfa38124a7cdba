import cl100k from "js-tiktoken/ranks/cl100k_base";
import { yieldEvery } from "@/lib/cooperative";

// Honest token counts for the offline model (SPEC §7). cl100k_base is not
// Claude's tokenizer, but it is a real BPE tokenizer and counts what was produced.
//
// The count is cl100k's byte-pair encoding (ranks from js-tiktoken) done here,
// because js-tiktoken's own merge is quadratic in a piece's length with a large
// constant, and a run of letters (or punctuation, or whitespace) is one piece
// however long it is: 1,000,000 letters took 8.4 minutes, a Chinese paragraph
// (no spaces) seconds. Here a piece longer than PIECE_CHARS is counted in
// slices of that length, each merge step only re-ranks its two neighbours, and
// each distinct piece is merged once (prose repeats its words). Ordinary text
// counts exactly as js-tiktoken's encode(); a giant run counts as its slices.

const PIECE_CHARS = 32;
const MEMO_LIMIT = 100_000;

let ranks: Map<string, number> | undefined;
const memo = new Map<string, number>();

/**
 * Reads cl100k's rank table (~100k entries, about 200 ms of CPU). Servers call it
 * at start (instrumentation.ts) so that no request pays for it on the event loop.
 */
export function loadTokenizer(): void {
  ranks ??= loadRanks();
}

/** Token byte strings (one char per byte) → rank, from the bundled cl100k_base table. */
function loadRanks(): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of cl100k.bpe_ranks.split("\n")) {
    const [, offset, ...tokens] = line.split(" ");
    if (!offset) continue;
    tokens.forEach((token, i) => map.set(Buffer.from(token, "base64").toString("latin1"), Number(offset) + i));
  }
  return map;
}

/** How many tokens cl100k's byte-pair merge makes of one pre-tokenizer piece. */
function mergedLength(piece: string): number {
  ranks ??= loadRanks();
  const bytes = Buffer.from(piece, "utf8").toString("latin1");
  if (ranks.has(bytes)) return 1;
  const starts = Array.from({ length: bytes.length + 1 }, (_, i) => i); // part i is bytes[starts[i], starts[i+1])
  const rankOf = (i: number) => (i + 2 < starts.length ? (ranks!.get(bytes.slice(starts[i], starts[i + 2])) ?? Infinity) : Infinity);
  const pairRanks = starts.slice(0, -2).map((_, i) => rankOf(i));
  for (;;) {
    let best = 0;
    for (let i = 1; i < pairRanks.length; i++) if (pairRanks[i]! < pairRanks[best]!) best = i;
    if (!(pairRanks[best]! < Infinity)) break;
    starts.splice(best + 1, 1);
    pairRanks.splice(best + 1, 1);
    pairRanks[best] = rankOf(best);
    if (best > 0) pairRanks[best - 1] = rankOf(best - 1);
  }
  return starts.length - 1;
}

function pieceTokens(piece: string): number {
  let n = memo.get(piece);
  if (n === undefined) {
    n = mergedLength(piece);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(piece, n);
  }
  return n;
}

/** Where to cut before `i` without splitting a surrogate pair. */
const safeCut = (text: string, i: number) => (/[\uDC00-\uDFFF]/.test(text[i] ?? "") ? i - 1 : i);

/**
 * `text` cut into cl100k's pre-tokenizer pieces (none longer than PIECE_CHARS)
 * with the tokens each counts for; the pieces concatenate back to `text`.
 * Special-token text such as <|endoftext|> is ordinary text here.
 */
export function* tokenPieces(text: string): Generator<{ text: string; tokens: number }> {
  for (const [piece] of text.matchAll(new RegExp(cl100k.pat_str, "gu"))) {
    for (let i = 0; i < piece.length; ) {
      const end = i + PIECE_CHARS >= piece.length ? piece.length : Math.max(safeCut(piece, i + PIECE_CHARS), i + 1);
      const slice = piece.slice(i, end);
      yield { text: slice, tokens: pieceTokens(slice) };
      i = end;
    }
  }
}

export function countTokens(text: string): number {
  let n = 0;
  for (const piece of tokenPieces(text)) n += piece.tokens;
  return n;
}

/** countTokens for long text on a request path: gives the event loop a turn every few milliseconds. */
export async function countTokensAsync(text: string): Promise<number> {
  const pause = yieldEvery();
  let n = 0;
  for (const piece of tokenPieces(text)) {
    n += piece.tokens;
    await pause();
  }
  return n;
}
