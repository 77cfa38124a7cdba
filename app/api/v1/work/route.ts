// POST /api/v1/work — post work (title, description, input, documentIds?, acceptance, budgetMicros, capabilities,
//   visibility?, invitedProviders?, autoAward?, bidDeadline, deliveryDeadline; optional Idempotency-Key header):
//   201 with the OPEN work, its budget held in escrow; 402 when the wallet cannot cover the budget.
// GET /api/v1/work — scope=open (work the caller's provider may bid on) | mine, capability, cursor, limit
import { json, route } from "@/lib/http/route";
import { listWork, postWork } from "@/lib/exchange/work";
import { idempotencyKeyHeader, listWorkQuerySchema, postWorkBodySchema } from "@/lib/exchange/work-schemas";

export const POST = route({ permission: "runs.create", body: postWorkBodySchema }, async ({ req, principal, body }) =>
  json(await postWork(principal, body, { idempotencyKey: idempotencyKeyHeader(req.headers) }), 201),
);

export const GET = route({ permission: "workspace.read", query: listWorkQuerySchema }, async ({ principal, query }) => listWork(principal, query));
