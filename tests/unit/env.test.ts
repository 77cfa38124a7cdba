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

  it("applies defaults", () => {
    const e = parseEnv(base);
    expect(e.AGORA_BODY_LIMIT_BYTES).toBe(1_048_576);
    expect(e.AGORA_DEMO_PASSWORD).toBe("agora-demo");
    expect(e.AGORA_SEED_DEMO).toBe(false);
  });
});
