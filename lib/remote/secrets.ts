import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";
import type { providerSecretSchema } from "./secret-schemas";

// A provider's signing secrets (issue 19): Agora signs every request to a
// remote package's endpoint with them (Standard Webhooks: `webhook-id`,
// `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
// "id.timestamp.body">`) and sends the current one as the credential the agent
// card asks for. Agora needs them back, so they are stored encrypted
// (AES-256-GCM under AGORA_SECRETS_KEY), never hashed; the secret itself is
// shown once, when it is made. Rotating keeps the previous secret valid until
// its `expiresAt` (AGORA_SECRET_ROTATION_HOURS): both sign meanwhile.

const PREFIX = "whsec_";

function secretsKey(): Buffer {
  const configured = env().AGORA_SECRETS_KEY;
  if (configured) return [Buffer.from(configured, "base64"), Buffer.from(configured, "hex")].find((b) => b.length === 32)!;
  if (env().NODE_ENV === "production") throw new Error("AGORA_SECRETS_KEY is not set: providers' signing secrets cannot be made or used.");
  return createHash("sha256").update("agora-development-only-secrets-key").digest();
}

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64 (what the standardwebhooks libraries take). */
export const newSigningSecret = () => PREFIX + randomBytes(32).toString("base64");

/** "v1.<iv>.<tag>.<ciphertext>", base64 parts. */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretsKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64"))).join(".");
}

export function decryptSecret(stored: string): string {
  const [, iv, tag, data] = stored.split(".").map((p) => Buffer.from(p, "base64"));
  const decipher = createDecipheriv("aes-256-gcm", secretsKey(), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(data!), decipher.final()]).toString("utf8");
}

/** Standard Webhooks headers for a body, one `v1,` signature per secret (space-separated: rotation). */
export function signatureHeaders(secrets: string[], body: string, id = `msg_${randomUUID().replaceAll("-", "")}`, timestamp = Math.floor(Date.now() / 1000)) {
  const signatures = secrets.map((s) => `v1,${createHmac("sha256", Buffer.from(s.slice(PREFIX.length), "base64")).update(`${id}.${timestamp}.${body}`).digest("base64")}`);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signatures.join(" ") };
}

const live = (now: Date) => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
const listSelect = { id: true, last4: true, createdAt: true, expiresAt: true } as const;
type SecretRow = { id: string; last4: string; createdAt: Date; expiresAt: Date | null };
export type ProviderSecretJson = z.infer<typeof providerSecretSchema>;
const secretJson = (s: SecretRow): ProviderSecretJson => ({ id: s.id, last4: s.last4, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null, current: s.expiresAt === null });

async function providerIdOf(workspaceId: string): Promise<string> {
  const provider = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!provider) throw new ApiError("conflict", "Save your provider profile before making a signing secret.");
  return provider.id;
}

/** The workspace provider's live secrets (never the secret itself), newest first. */
export async function listProviderSecrets(workspaceId: string): Promise<ProviderSecretJson[]> {
  const provider = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  if (!provider) return [];
  const rows = await db.providerSecret.findMany({ where: { providerId: provider.id, ...live(new Date()) }, orderBy: { createdAt: "desc" }, select: listSelect });
  return rows.map(secretJson);
}

/**
 * Makes a new current secret (shown once, in the answer): the current one becomes
 * the previous, valid until now + AGORA_SECRET_ROTATION_HOURS; an older previous is revoked.
 */
export async function rotateProviderSecret(principal: Principal, ip: string | null): Promise<{ secret: string; signingSecret: ProviderSecretJson }> {
  const workspaceId = principal.workspace.id;
  const providerId = await providerIdOf(workspaceId);
  const secret = newSigningSecret();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + env().AGORA_SECRET_ROTATION_HOURS * 3_600_000);
  const row = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Provider" WHERE "id" = ${providerId} FOR UPDATE`; // one rotation at a time
    await tx.providerSecret.updateMany({ where: { providerId, revokedAt: null, expiresAt: { not: null } }, data: { revokedAt: now } });
    await tx.providerSecret.updateMany({ where: { providerId, revokedAt: null, expiresAt: null }, data: { expiresAt } });
    const created = await tx.providerSecret.create({ data: { providerId, ciphertext: encryptSecret(secret), last4: secret.slice(-4) }, select: listSelect });
    await recordAudit({ action: "provider.secret_rotated", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: created.id, metadata: { last4: created.last4 }, ip }, tx);
    return created;
  });
  return { secret, signingSecret: secretJson(row) };
}

/** Revokes one of the workspace provider's secrets at once (404 for anyone else's). */
export async function revokeProviderSecret(principal: Principal, id: string, ip: string | null): Promise<void> {
  const workspaceId = principal.workspace.id;
  await db.$transaction(async (tx) => {
    const { count } = await tx.providerSecret.updateMany({ where: { id, revokedAt: null, provider: { workspaceId } }, data: { revokedAt: new Date() } });
    if (count === 0) throw new ApiError("not_found", "No such signing secret.");
    await recordAudit({ action: "provider.secret_revoked", actorUserId: principal.userId, actorApiKeyId: principal.apiKeyId, workspaceId, target: id, ip }, tx);
  });
}

/** A provider's live secrets in clear, newest (the current one) first: what Agora signs and authenticates with. */
export async function liveSecrets(providerId: string): Promise<string[]> {
  const rows = await db.providerSecret.findMany({ where: { providerId, ...live(new Date()) }, orderBy: { createdAt: "desc" }, select: { ciphertext: true } });
  return rows.map((r) => decryptSecret(r.ciphertext));
}
