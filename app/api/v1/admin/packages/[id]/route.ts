// PATCH /api/v1/admin/packages/:id — { baseFeeMicros?, model?, maxOutputTokens?, status?: "PUBLISHED" | "SUSPENDED", suspendedReason? }
import { idParams } from "@/lib/http/params";
import { adminUpdatePackage } from "@/lib/admin/catalog-admin";
import { adminPackageBodySchema, adminPackageSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: idParams, body: adminPackageBodySchema, response: adminPackageSchema, summary: "Change a package version's base fee, model, output limit or status" }, async ({ principal, params, body, ip }) => adminUpdatePackage(requireUser(principal), params.id, body, ip));
