import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "agora_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 40; // ~238 bits
const VISIBLE = 8;

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A fresh key: the secret (shown once), its hash (stored) and its visible prefix. */
export function generateApiKey(): { secret: string; hash: string; prefix: string } {
  // Rejection sampling keeps every character equally likely.
  let random = "";
  while (random.length < RANDOM_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 62];
    }
  }
  const secret = API_KEY_PREFIX + random;
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, API_KEY_PREFIX.length + VISIBLE) };
}

export const looksLikeApiKey = (value: string) => /^agora_live_[0-9A-Za-z]{40}$/.test(value);
