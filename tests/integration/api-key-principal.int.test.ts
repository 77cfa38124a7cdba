import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { forgetPrincipals, principalFromApiKey, principalFromUser } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { createUser } from "../helpers/factories";

// principalFromApiKey reads the key, its workspace and the tier in one joined
// statement (every API call makes it): the principal it builds must be exactly
// what the workspace and tier rows say, and every refusal must still hold.

const db = getDb();

describe("principalFromApiKey", () => {
  it("carries the key's limits and its workspace and tier exactly as stored", async () => {
    const code = `pk-${randomUUID().slice(0, 8)}`;
    await db.tier.create({ data: { code, name: code, sortOrder: 1_000, requestsPerMinute: 77, runsPerHour: 66, concurrentRuns: 5, tokensPerDay: 12_345_678_901n, priceMultiplierBps: 13_500 } });
    const { user, workspace } = await createUser("key-principal");
    const pastDueSince = new Date("2026-11-01T10:00:00.000Z");
    await db.workspace.update({ where: { id: workspace.id }, data: { tierCode: code, paymentMode: "METERED", pastDueSince, packagePins: { "csv-digest": "1" } } });
    const { id, secret } = await createApiKey(await principalFromUser(user.id), { name: "ci", requestsPerMinute: 9, runsPerHour: null });
    await db.apiKey.update({ where: { id }, data: { packagePins: { "csv-digest": "1.4.2" } } });

    const p = await principalFromApiKey(secret);
    const row = await db.workspace.findUniqueOrThrow({ where: { id: workspace.id } });
    expect(p).toMatchObject({ kind: "api_key", userId: null, isAdmin: false, role: "MEMBER", keyLimits: { requestsPerMinute: 9, runsPerHour: null }, keyPins: { "csv-digest": "1.4.2" } });
    expect(p.workspace).toEqual({
      id: workspace.id,
      name: row.name,
      slug: row.slug,
      tierCode: code,
      priceMultiplierBps: 13_500,
      suspended: false,
      limits: { requestsPerMinute: 77, runsPerHour: 66, concurrentRuns: 5, tokensPerDay: 12_345_678_901 },
      paymentMode: "METERED",
      pastDueSince,
      packagePins: { "csv-digest": "1" },
    });
  });

  it("refuses a revoked key, a disabled creator's key, and says which", async () => {
    const { user } = await createUser("key-refusals");
    const owner = await principalFromUser(user.id);
    const revoked = await createApiKey(owner, { name: "revoked", requestsPerMinute: null, runsPerHour: null });
    await db.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    await expect(principalFromApiKey(revoked.secret)).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringContaining("invalid or has been revoked") });

    const live = await createApiKey(owner, { name: "live", requestsPerMinute: null, runsPerHour: null });
    await expect(principalFromApiKey(live.secret)).resolves.toMatchObject({ apiKeyId: live.id });
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await forgetPrincipals({ userId: user.id }); // a working key's principal is cached: a writer drops it after its change
    await expect(principalFromApiKey(live.secret)).rejects.toMatchObject({ code: "unauthenticated", message: expect.stringContaining("disabled account") });
  });
});
