// PATCH /api/v1/admin/providers/:id — { verified?: boolean, platformFeeBps?: number | null }: the verified badge, the platform's fee (audit-logged)
import { adminUpdateProvider } from "@/lib/providers/providers";
import { adminProviderBodySchema, adminProviderSchema } from "@/lib/providers/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: idParams, body: adminProviderBodySchema, response: adminProviderSchema, summary: "Set a provider's verified badge or platform fee" }, async ({ principal, params, body, ip }) => adminUpdateProvider(requireUser(principal), params.id, body, ip));
