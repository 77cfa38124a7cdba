// GET /api/v1/provider/secrets — the provider's live signing secrets: last4, createdAt, expiresAt, current (never the secret)
// POST /api/v1/provider/secrets — make a new current secret (rotation): the response carries it, once; the previous one
//   stays valid until its expiresAt (AGORA_SECRET_ROTATION_HOURS), older ones are revoked
import { json, route } from "@/lib/http/route";
import { listProviderSecrets, rotateProviderSecret } from "@/lib/remote/secrets";

export const GET = route({ permission: "provider.manage" }, async ({ principal }) => ({ secrets: await listProviderSecrets(principal.workspace.id) }));

export const POST = route({ permission: "provider.manage" }, async ({ principal, ip }) => json(await rotateProviderSecret(principal, ip), 201));
