// PATCH /api/v1/admin/users/:id — { disabled?, isAdmin? }
import { idParams } from "@/lib/http/params";
import { adminUpdateUser } from "@/lib/admin/users";
import { adminUserBodySchema, adminUserSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: idParams, body: adminUserBodySchema, response: adminUserSchema, summary: "Disable or enable a user, grant or revoke platform admin" }, async ({ principal, params, body, ip }) => adminUpdateUser(requireUser(principal), params.id, body, ip));
