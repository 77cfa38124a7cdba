// POST /api/v1/upgrade-previews/:id/advance — starts the preview's items that waited for a free run slot (a tier
//   with few concurrent runs), each a normal charged run keyed by the preview, then answers like GET. Safe to repeat.
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { upgradePreviewSchema } from "@/lib/packages/upgrade-preview-responses";
import { getUpgradePreview } from "@/lib/packages/upgrade-preview";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", params: idParams, response: upgradePreviewSchema, summary: "Start the preview's items that waited for a free run slot; answers like GET." }, async ({ principal, params }) => getUpgradePreview(principal, params.id, runExecutor()));
