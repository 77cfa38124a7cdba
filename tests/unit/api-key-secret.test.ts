import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, generateApiKey, hashApiKey, looksLikeApiKey } from "@/lib/auth/api-key-secret";

describe("API key secrets", () => {
  it("generates a prefixed secret whose stored form is its SHA-256 hash", () => {
    const key = generateApiKey();
    expect(key.secret.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(looksLikeApiKey(key.secret)).toBe(true);
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).toBe(hashApiKey(key.secret));
    expect(key.prefix).toBe(key.secret.slice(0, API_KEY_PREFIX.length + 8));
    expect(key.hash).not.toContain(key.secret.slice(API_KEY_PREFIX.length));
  });

  it("never repeats a secret", () => {
    const secrets = new Set(Array.from({ length: 2000 }, () => generateApiKey().secret));
    expect(secrets.size).toBe(2000);
  });

  it("rejects strings that are not keys before touching the database", () => {
    expect(looksLikeApiKey("agora_live_short")).toBe(false);
    expect(looksLikeApiKey(`sk_live_${"a".repeat(40)}`)).toBe(false);
    expect(looksLikeApiKey(`${API_KEY_PREFIX}${"a".repeat(39)}!`)).toBe(false);
  });
});
