// GET /api/v1/usage/export.csv?from&to — every run of the range as CSV, streamed
import { route } from "@/lib/http/route";
import { usageCsvStream } from "@/lib/usage/export-csv";
import { usageRangeQuerySchema } from "@/lib/usage/usage-queries";

export const GET = route({ permission: "workspace.read", query: usageRangeQuerySchema, produces: { "text/csv": "Every run of the range, one a line, as an attachment." }, summary: "Every run of a range as CSV, streamed." }, async ({ principal, query }) => {
  const name = `agora-usage-${query.from.toISOString().slice(0, 10)}-to-${query.to.toISOString().slice(0, 10)}.csv`;
  return new Response(usageCsvStream(principal.workspace.id, query), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` },
  });
});
