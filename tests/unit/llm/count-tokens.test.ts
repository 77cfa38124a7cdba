import { getEncoding } from "js-tiktoken";
import { describe, expect, it } from "vitest";
import { countTokens, countTokensAsync } from "@/lib/llm/count-tokens";

const reference = getEncoding("cl100k_base");

describe("countTokens", () => {
  it("counts ordinary text exactly as js-tiktoken's cl100k_base encoder does", () => {
    const samples = [
      "",
      "Refunds are processed within 30 days, unless the plan was annual; see §4.2 for details.",
      "const total = items.reduce((sum, item) => sum + item.priceMicros, 0); // 1234567 µUSD\n\n\tif (!ok) throw new Error(`bad: ${x}`);",
      "Ünïcödé, 漢字とかなの文章です。Emoji 😀👍🏽 and ZWJ 👩‍💻. Numbers 3.14159 and 1,000,000.",
      "  leading and   inner   spaces\n\n\n\nand newlines\r\n",
      "it's they're we've I'm you'll he'd SHE'S",
    ];
    for (const text of samples) expect(countTokens(text)).toBe(reference.encode(text).length);
  });

  it("counts special-token text such as <|endoftext|> as ordinary text instead of throwing", () => {
    expect(countTokens("before <|endoftext|> after")).toBe(reference.encode("before <|endoftext|> after", [], []).length);
  });

  // Issue 14: byte-pair merging was quadratic in one run of letters (4,000 letters took 3.7–15 s).
  it("counts a 10,000-letter word in linear time, as the count of its slices", { timeout: 10_000 }, () => {
    const word = "ab".repeat(5_000);
    expect(countTokens(word)).toBeGreaterThan(0);
    expect(countTokens(word + word)).toBe(2 * countTokens(word));
  });

  it("gives the same count asynchronously", async () => {
    const text = `${"Plain words and a 9-digit 123456789 number. ".repeat(2_000)}${"z".repeat(5_000)}`;
    expect(await countTokensAsync(text)).toBe(countTokens(text));
  });
});
