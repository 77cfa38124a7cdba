// POST /api/v1/agents/:slug/upgrade-previews/quote — { from, to, runIds (1–5) }: per input the expected price of a
//   run of slug@to and its max hold, the total max hold and the balance (402 when it cannot cover it). Nothing is held.
import { z } from "zod";
import { route } from "@/lib/http/route";
import { upgradeQuoteSchema } from "@/lib/packages/upgrade-preview-responses";
import { slugParam } from "@/lib/http/params";
import { quoteUpgradePreview, quoteUpgradePreviewBodySchema } from "@/lib/packages/upgrade-preview";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", params: z.object({ slug: slugParam }), body: quoteUpgradePreviewBodySchema, response: upgradeQuoteSchema, summary: "The expected price of re-running inputs on another version; nothing is held." }, async ({ principal, params, body }) =>
  quoteUpgradePreview(principal, params.slug, body, runExecutor()),
);
