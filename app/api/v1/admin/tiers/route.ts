// GET /api/v1/admin/tiers — the tiers and their limits
import { listTiers } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";
import { tiersSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", response: tiersSchema, summary: "List the tiers and their limits" }, async () => ({ data: await listTiers() }));
