// DELETE /api/v1/provider/secrets/:id — revoke one of the provider's signing secrets at once
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { revokedSecretResponseSchema } from "@/lib/remote/secret-schemas";
import { revokeProviderSecret } from "@/lib/remote/secrets";

export const DELETE = route({ permission: "provider.manage", params: idParams, response: revokedSecretResponseSchema, summary: "Revoke one of your provider's signing secrets at once" }, async ({ principal, params, ip }) => {
  await revokeProviderSecret(principal, params.id, ip);
  return { revoked: true };
});
