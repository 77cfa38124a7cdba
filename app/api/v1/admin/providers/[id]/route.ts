// PATCH /api/v1/admin/providers/:id — { verified: boolean }: sets or clears the verified badge (audit-logged)
import { adminSetProviderVerified } from "@/lib/providers/providers";
import { adminProviderBodySchema } from "@/lib/providers/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: idParams, body: adminProviderBodySchema }, async ({ principal, params, body, ip }) => adminSetProviderVerified(requireUser(principal), params.id, body.verified, ip));
