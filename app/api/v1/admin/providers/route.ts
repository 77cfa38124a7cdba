// GET /api/v1/admin/providers — every provider, with its workspace and package count
import { route } from "@/lib/http/route";
import { listProvidersAdmin } from "@/lib/providers/providers";
import { adminProviderSchema } from "@/lib/providers/schemas";
import { listOf } from "@/lib/http/wire";

export const GET = route({ permission: "platform.admin", response: listOf(adminProviderSchema), summary: "List every provider with its workspace and package count" }, async () => ({ data: await listProvidersAdmin() }));
