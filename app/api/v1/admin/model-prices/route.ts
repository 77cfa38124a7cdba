// GET /api/v1/admin/model-prices — list prices per million tokens (micro-USD)
import { listModelPrices } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async () => ({ data: await listModelPrices() }));
