import { z } from "zod";

// The success bodies of the provider's signing-secret routes (lib/remote/secrets.ts): a
// secret is listed by its last four characters; the secret itself is in the answer that makes it, once.

/** A live signing secret (never the secret): `current` signs; a previous one until its expiresAt. */
export const providerSecretSchema = z.object({ id: z.string(), last4: z.string(), createdAt: z.iso.datetime(), expiresAt: z.iso.datetime().nullable(), current: z.boolean() });

/** GET /api/v1/provider/secrets. */
export const providerSecretsResponseSchema = z.object({ secrets: z.array(providerSecretSchema) });

/** POST /api/v1/provider/secrets: the new current secret, shown this once. */
export const rotatedSecretResponseSchema = z.object({ secret: z.string().startsWith("whsec_"), signingSecret: providerSecretSchema });

/** DELETE /api/v1/provider/secrets/:id. */
export const revokedSecretResponseSchema = z.object({ revoked: z.literal(true) });
