// POST /api/v1/agents/:slug/upgrade-previews — { from, to, runIds (1–5), idempotencyKey? }: records an upgrade
//   preview and starts one charged run of slug@to per input (lib/packages/upgrade-preview.ts); 201 with the
//   preview, 200 with the same preview when the idempotency key was seen before (no new run).
import { z } from "zod";
import { json, route } from "@/lib/http/route";
import { upgradePreviewSchema } from "@/lib/packages/upgrade-preview-responses";
import { slugParam } from "@/lib/http/params";
import { startUpgradePreview, startUpgradePreviewBodySchema } from "@/lib/packages/upgrade-preview";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", params: z.object({ slug: slugParam }), body: startUpgradePreviewBodySchema, response: upgradePreviewSchema, status: 201, summary: "Start an upgrade preview: one charged run of the new version per input (200 on a repeated idempotency key)." }, async ({ principal, params, body }) => {
  const { preview, created } = await startUpgradePreview(principal, params.slug, body, runExecutor());
  return json(preview, created ? 201 : 200);
});
