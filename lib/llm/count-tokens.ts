import { getEncoding, type Tiktoken } from "js-tiktoken";

// Honest token counts for the offline model (SPEC §7). cl100k_base is not
// Claude's tokenizer, but it is a real BPE tokenizer and counts what was produced.

let encoding: Tiktoken | undefined;

export function countTokens(text: string): number {
  if (!text) return 0;
  encoding ??= getEncoding("cl100k_base");
  return encoding.encode(text).length;
}
