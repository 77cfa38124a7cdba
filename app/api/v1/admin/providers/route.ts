// GET /api/v1/admin/providers — every provider, with its workspace and package count
import { route } from "@/lib/http/route";
import { listProvidersAdmin } from "@/lib/providers/providers";

export const GET = route({ permission: "platform.admin" }, async () => ({ data: await listProvidersAdmin() }));
