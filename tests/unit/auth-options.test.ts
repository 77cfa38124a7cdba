import { describe, expect, it } from "vitest";
import { buildAuthOptions } from "@/lib/auth/auth-options";
import { parseEnv } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/agora" };
const providerIds = (source: Record<string, string>) => buildAuthOptions(parseEnv(source)).providers.map((p) => p.id);

describe("sign-in providers", () => {
  it("offer email + password always, GitHub only when both of its variables are set", () => {
    expect(providerIds(base)).toEqual(["credentials"]);
    expect(providerIds({ ...base, GITHUB_ID: "Iv1.abc", GITHUB_SECRET: "shh-github-secret" })).toEqual(["credentials", "github"]);
  });

  it("use JWT sessions and our sign-in page", () => {
    const options = buildAuthOptions(parseEnv(base));
    expect(options.session?.strategy).toBe("jwt");
    expect(options.pages?.signIn).toBe("/signin");
  });
});
