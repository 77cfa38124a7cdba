// GET /api/v1/admin/model-prices — list prices per million tokens (micro-USD)
import { listModelPrices } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";
import { modelPricesSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", response: modelPricesSchema, summary: "List the models' prices per million tokens" }, async () => ({ data: await listModelPrices() }));
