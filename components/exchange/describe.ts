import type { AcceptanceCheck } from "./types";

const field = (pointer: string) => (pointer === "" ? "the whole output" : `"${pointer}"`);

/** One acceptance check in words, as the work page lists them. */
export function describeCheck(c: AcceptanceCheck): string {
  switch (c.type) {
    case "required":
      return `${c.paths.map(field).join(", ")} ${c.paths.length === 1 ? "is" : "are"} present and not empty`;
    case "range":
      if (c.min !== undefined && c.max !== undefined) return `${field(c.path)} is a number from ${c.min} to ${c.max}`;
      return c.min !== undefined ? `${field(c.path)} is a number of at least ${c.min}` : `${field(c.path)} is a number of at most ${c.max}`;
    case "regex":
      return `${field(c.path)} matches /${c.pattern}/${c.caseInsensitive ? " (any case)" : ""}`;
    case "citations":
      return `${field(c.path)} lists at least ${c.min} citation${c.min === 1 ? "" : "s"}`;
    case "evaluator":
      return `the evaluator ${c.package} scores it ${c.threshold} or more (score at ${field(c.scorePath ?? "/score")})`;
  }
}

/** The provider's share of a contract's price: the fee rounded half up, as splitCharge (lib/exchange/escrow.ts) posts it. */
export const shareAfterFee = (priceMicros: number, feeBps: number) => priceMicros - Math.floor((priceMicros * feeBps + 5_000) / 10_000);

export const feeText = (feeBps: number) => `${feeBps / 100} %`;

/** "in 3 h 20 min" / "closed": how long until a deadline. */
export function countdown(deadline: string, now = Date.now()): string {
  const ms = new Date(deadline).getTime() - now;
  if (ms <= 0) return "closed";
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} h ${minutes % 60} min`;
  return `in ${Math.floor(hours / 24)} days`;
}

/** A JSON textarea's text parsed, or the parse error to show under it. */
export function parseJson(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
}

