// PATCH /api/v1/admin/model-prices/:model — { displayName?, inputMicrosPerMTok?, outputMicrosPerMTok?, cacheWriteMicrosPerMTok?, cacheReadMicrosPerMTok? }
import { z } from "zod";
import { idParam } from "@/lib/http/params";
import { adminUpdateModelPrice } from "@/lib/admin/catalog-admin";
import { modelPriceBodySchema, modelPriceSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: z.object({ model: idParam }), body: modelPriceBodySchema, response: modelPriceSchema, summary: "Change a model's prices per million tokens" }, async ({ principal, params, body, ip }) =>
  adminUpdateModelPrice(requireUser(principal), params.model, body, ip),
);
