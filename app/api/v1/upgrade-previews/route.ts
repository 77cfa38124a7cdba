// GET /api/v1/upgrade-previews — the workspace's upgrade previews, newest first, with totals: cursor, limit
import { route } from "@/lib/http/route";
import { upgradePreviewPageSchema } from "@/lib/packages/upgrade-preview-responses";
import { listUpgradePreviews, listUpgradePreviewsQuerySchema } from "@/lib/packages/upgrade-preview";

export const GET = route({ permission: "workspace.read", query: listUpgradePreviewsQuerySchema, response: upgradePreviewPageSchema, summary: "The workspace's upgrade previews, newest first, with totals." }, async ({ principal, query }) => listUpgradePreviews(principal, query));
