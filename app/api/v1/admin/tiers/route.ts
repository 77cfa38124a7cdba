// GET /api/v1/admin/tiers — the tiers and their limits
import { listTiers } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async () => ({ data: await listTiers() }));
