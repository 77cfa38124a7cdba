// DELETE /api/v1/admin/workspaces/:id/keys/:keyId — revoke any workspace's key
import { z } from "zod";
import { idParam } from "@/lib/http/params";
import { adminRevokeKey } from "@/lib/admin/workspaces";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";
import { adminWorkspaceSchema } from "@/lib/admin/schemas";

export const DELETE = route({ permission: "platform.admin", params: z.object({ id: idParam, keyId: idParam }), response: adminWorkspaceSchema, summary: "Revoke any workspace's API key" }, async ({ principal, params, ip }) => adminRevokeKey(requireUser(principal), params.id, params.keyId, ip));
