// GET /api/v1/upgrade-previews — the workspace's upgrade previews, newest first, with totals: cursor, limit
import { route } from "@/lib/http/route";
import { listUpgradePreviews, listUpgradePreviewsQuerySchema } from "@/lib/packages/upgrade-preview";

export const GET = route({ permission: "workspace.read", query: listUpgradePreviewsQuerySchema }, async ({ principal, query }) => listUpgradePreviews(principal, query));
