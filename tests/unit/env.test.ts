import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/agora" };

describe("environment", () => {
  it("fails fast naming every bad variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", GITHUB_ID: "abc", AGORA_BODY_LIMIT_BYTES: "-3" })).toThrowError(
      /DATABASE_URL: must be a postgresql:\/\/ connection string[\s\S]*AGORA_BODY_LIMIT_BYTES[\s\S]*GITHUB_SECRET/,
    );
  });

  it("requires NEXTAUTH_SECRET in production only", () => {
    expect(() => parseEnv({ ...base, NODE_ENV: "production" })).toThrowError(/NEXTAUTH_SECRET/);
    expect(parseEnv({ ...base, NODE_ENV: "development" }).NEXTAUTH_SECRET).toBeUndefined();
  });

  it("in production, an AGORA_ADMIN_EMAIL account needs its own password of 12+ characters", () => {
    const prod = { ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), METRICS_TOKEN: "m".repeat(16), AGORA_ADMIN_EMAIL: "ops@example.com" };
    expect(() => parseEnv(prod)).toThrowError(/AGORA_ADMIN_PASSWORD: must be set/);
    expect(() => parseEnv({ ...prod, AGORA_ADMIN_PASSWORD: "short-pass" })).toThrowError(/AGORA_ADMIN_PASSWORD/);
    expect(parseEnv({ ...prod, AGORA_ADMIN_PASSWORD: "a long admin passphrase" }).AGORA_ADMIN_EMAIL).toBe("ops@example.com");
    expect(() => parseEnv({ ...prod, AGORA_ADMIN_EMAIL: "not an email", AGORA_ADMIN_PASSWORD: "a long admin passphrase" })).toThrowError(/AGORA_ADMIN_EMAIL/);
  });

  it("refuses the test clock in production unless the server serves only loopback; the market's money settings have their defaults and bounds", () => {
    const prod = { ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "s".repeat(32), METRICS_TOKEN: "m".repeat(16) };
    expect(() => parseEnv({ ...prod, NEXTAUTH_URL: "https://agora.example", AGORA_TEST_CLOCK: "1" })).toThrowError(/AGORA_TEST_CLOCK: lets time be moved forward: refused in production/);
    expect(parseEnv({ ...prod, NEXTAUTH_URL: "http://localhost", AGORA_TEST_CLOCK: "1" }).AGORA_TEST_CLOCK).toBe(true); // the end-to-end tests' deployed build
    expect(parseEnv({ ...base, AGORA_TEST_CLOCK: "1" }).AGORA_TEST_CLOCK).toBe(true);
    const e = parseEnv(prod);
    expect([e.AGORA_TEST_CLOCK, e.AGORA_PLATFORM_FEE_BPS, e.AGORA_EARNINGS_MATURITY_DAYS, e.AGORA_PAYOUT_MINIMUM_MICROS]).toEqual([false, 2_000, 7, 25_000_000n]);
    expect(() => parseEnv({ ...base, AGORA_PLATFORM_FEE_BPS: "10001" })).toThrowError(/AGORA_PLATFORM_FEE_BPS/);
  });

  it("takes an empty variable for an unset one (FOO= in an .env file)", () => {
    const e = parseEnv({ ...base, ANTHROPIC_API_KEY: "", REDIS_URL: "", STRIPE_SECRET_KEY: "", AGORA_ADMIN_EMAIL: "", AGORA_ADMIN_PASSWORD: "", AGORA_SEED_DEMO: "", AGORA_RUN_TIMEOUT_MS: "" });
    expect([e.ANTHROPIC_API_KEY, e.REDIS_URL, e.STRIPE_SECRET_KEY, e.AGORA_ADMIN_EMAIL]).toEqual([undefined, undefined, undefined, undefined]);
    expect([e.AGORA_ADMIN_PASSWORD, e.AGORA_SEED_DEMO, e.AGORA_RUN_TIMEOUT_MS]).toEqual(["agora-admin", false, 300_000]);
  });

  it("applies defaults", () => {
    const e = parseEnv(base);
    expect(e.AGORA_BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(e.AGORA_DEMO_PASSWORD).toBe("agora-demo");
    expect(e.AGORA_SEED_DEMO).toBe(false);
  });
});
