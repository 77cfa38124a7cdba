import { createHash, randomBytes } from "node:crypto";
import type { DbTx } from "@/lib/db/client";
import type { AccountTokenPurpose } from "@/lib/generated/prisma/enums";
import { ApiError } from "@/lib/http/errors";

// Single-use, expiring links mailed to a user (e-mail verification, password
// reset). The token travels only in the mail; we keep its SHA-256, so a database
// read does not hand out working links.

export const hashAccountToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** 32 random bytes, base64url: the secret a mailed link carries (an account token, an invitation). */
export const newAccountToken = () => randomBytes(32).toString("base64url");

/** Whether a string can be a token at all (43 base64url characters), checked before any query. */
export const looksLikeToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/** A fresh token for the user and purpose; older unused ones for the same purpose stop working. */
export async function issueAccountToken(tx: DbTx, input: { userId: string; purpose: AccountTokenPurpose; ttlMs: number }): Promise<string> {
  const token = newAccountToken();
  const now = new Date();
  await tx.accountToken.updateMany({ where: { userId: input.userId, purpose: input.purpose, usedAt: null }, data: { usedAt: now } });
  await tx.accountToken.create({
    data: { userId: input.userId, purpose: input.purpose, tokenHash: hashAccountToken(token), expiresAt: new Date(now.getTime() + input.ttlMs) },
  });
  return token;
}

/**
 * Uses a token once: the conditional UPDATE lets one of two racing requests win.
 * Unknown → 404, used or expired → 410, both without saying whose it was.
 */
export async function consumeAccountToken(tx: DbTx, input: { token: string; purpose: AccountTokenPurpose }): Promise<string> {
  const notFound = () => new ApiError("not_found", "This link is not valid. Ask for a new one.");
  if (!looksLikeToken(input.token)) throw notFound();
  const tokenHash = hashAccountToken(input.token);
  const used = await tx.accountToken.updateManyAndReturn({
    where: { tokenHash, purpose: input.purpose, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
    select: { userId: true },
  });
  if (used[0]) return used[0].userId;
  const existing = await tx.accountToken.findUnique({ where: { tokenHash }, select: { purpose: true } });
  if (!existing || existing.purpose !== input.purpose) throw notFound();
  throw new ApiError("gone", "This link has expired or was already used. Ask for a new one.");
}
