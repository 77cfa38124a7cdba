// GET /api/v1/upgrade-previews/:id — one upgrade preview: per input the base run and the new run side by side
//   (status, price, duration, output difference) and totals. Reading never starts a run: see …/:id/advance.
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { upgradePreviewSchema } from "@/lib/packages/upgrade-preview-responses";
import { getUpgradePreview } from "@/lib/packages/upgrade-preview";

export const GET = route({ permission: "workspace.read", params: idParams, response: upgradePreviewSchema, summary: "One upgrade preview: each input's base and new run side by side, with totals." }, async ({ principal, params }) => getUpgradePreview(principal, params.id));
