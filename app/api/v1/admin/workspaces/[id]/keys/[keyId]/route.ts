// DELETE /api/v1/admin/workspaces/:id/keys/:keyId — revoke any workspace's key
import { z } from "zod";
import { idParam } from "@/lib/http/params";
import { adminRevokeKey } from "@/lib/admin/workspaces";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const DELETE = route({ permission: "platform.admin", params: z.object({ id: idParam, keyId: idParam }) }, async ({ principal, params, ip }) => adminRevokeKey(requireUser(principal), params.id, params.keyId, ip));
