// POST /api/v1/work — post work (title, description, input, documentIds?, acceptance, budgetMicros, capabilities,
//   visibility?, invitedProviders?, autoAward?, bidDeadline, deliveryDeadline; optional Idempotency-Key header):
//   201 with the OPEN work, its budget held in escrow; 402 when the wallet cannot cover the budget.
// GET /api/v1/work — scope=open (work the caller's provider may bid on) | mine, capability, cursor, limit
import { json, route } from "@/lib/http/route";
import { workJsonSchema, workPageSchema } from "@/lib/exchange/work-json-schemas";
import { listWork, postWork } from "@/lib/exchange/work";
import { idempotencyKeyHeader, listWorkQuerySchema, postWorkBodySchema } from "@/lib/exchange/work-schemas";

export const POST = route({ permission: "runs.create", body: postWorkBodySchema, response: workJsonSchema, summary: "Post work with its budget held in escrow" }, async ({ req, principal, body }) =>
  json(await postWork(principal, body, { idempotencyKey: idempotencyKeyHeader(req.headers) }), 201),
);

export const GET = route({ permission: "workspace.read", query: listWorkQuerySchema, response: workPageSchema, summary: "Work open to your provider's bids, or your own posted work" }, async ({ principal, query }) => listWork(principal, query));
