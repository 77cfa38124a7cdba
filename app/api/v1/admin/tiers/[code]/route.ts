// PATCH /api/v1/admin/tiers/:code — name, monthly price, Stripe price id, included credits, limits, price multiplier
import { z } from "zod";
import { slugParam } from "@/lib/http/params";
import { adminUpdateTier } from "@/lib/admin/catalog-admin";
import { tierBodySchema, tierSchema } from "@/lib/admin/schemas";
import { requireUser } from "@/lib/auth/permissions";
import { route } from "@/lib/http/route";

export const PATCH = route({ permission: "platform.admin", params: z.object({ code: slugParam }), body: tierBodySchema, response: tierSchema, summary: "Change a tier's name, price, included credits, limits or price multiplier" }, async ({ principal, params, body, ip }) => adminUpdateTier(requireUser(principal), params.code, body, ip));
