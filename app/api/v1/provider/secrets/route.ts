// GET /api/v1/provider/secrets — the provider's live signing secrets: last4, createdAt, expiresAt, current (never the secret)
// POST /api/v1/provider/secrets — make a new current secret (rotation): the response carries it, once; the previous one
//   stays valid until its expiresAt (AGORA_SECRET_ROTATION_HOURS), older ones are revoked
import { json, route } from "@/lib/http/route";
import { providerSecretsResponseSchema, rotatedSecretResponseSchema } from "@/lib/remote/secret-schemas";
import { listProviderSecrets, rotateProviderSecret } from "@/lib/remote/secrets";

export const GET = route({ permission: "provider.manage", response: providerSecretsResponseSchema, summary: "Your provider's live signing secrets (last four characters, never the secret)" }, async ({ principal }) => ({ secrets: await listProviderSecrets(principal.workspace.id) }));

export const POST = route({ permission: "provider.manage", response: rotatedSecretResponseSchema, summary: "Rotate: a new current signing secret, shown once; the previous one stays valid for a while" }, async ({ principal, ip }) => json(await rotateProviderSecret(principal, ip), 201));
