import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { decryptSecret, encryptSecret, signatureHeaders } from "@/lib/remote/secrets";

// Providers' signing secrets (lib/remote/secrets.ts): stored encrypted, and the
// Standard Webhooks signature checked with the reference verifier.

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;

describe("signing secrets", () => {
  it("are stored encrypted (AES-256-GCM): the stored form hides the secret, decrypts back, and a tampered one is refused", () => {
    const s = secret();
    const stored = encryptSecret(s);
    expect(stored).not.toContain(s.slice(6));
    expect(encryptSecret(s)).not.toBe(stored); // a fresh IV each time
    expect(decryptSecret(stored)).toBe(s);
    const [v, iv, tag, data] = stored.split(".");
    const flipped = Buffer.from(data!, "base64");
    flipped[0]! ^= 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString("base64")].join("."))).toThrow();
  });

  it("sign the exact body with every live secret, space-separated: each verifies alone; a wrong secret or body does not", () => {
    const [current, previous] = [secret(), secret()];
    const body = JSON.stringify({ jsonrpc: "2.0", method: "SendStreamingMessage", id: 1 });
    const headers = signatureHeaders([current, previous], body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    for (const s of [current, previous]) expect(new Webhook(s).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret()).verify(body, headers)).toThrow(/No matching signature/);
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it("AGORA_SECRETS_KEY must be 32 bytes, base64 or hex", () => {
    const base = { DATABASE_URL: "postgres://x/y" };
    expect(() => parseEnv({ ...base, AGORA_SECRETS_KEY: "too-short" })).toThrow(/AGORA_SECRETS_KEY: must be 32 bytes/);
    expect(parseEnv({ ...base, AGORA_SECRETS_KEY: randomBytes(32).toString("base64") }).AGORA_SECRETS_KEY).toBeTruthy();
    expect(parseEnv({ ...base, AGORA_SECRETS_KEY: randomBytes(32).toString("hex") }).AGORA_SECRETS_KEY).toBeTruthy();
  });
});
