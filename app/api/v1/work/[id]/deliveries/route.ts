// POST /api/v1/work/:id/deliveries — the contract's provider delivers: { output } by hand (≤ 256 KB), or { run: true }
//   for the redelivery run of its bid's package; 201 with the delivery (its checks' verdict, or PENDING while checked)
import { deliverBodySchema, deliverOutput, redeliverByRun } from "@/lib/exchange/delivery";
import { idParams } from "@/lib/http/params";
import { json, route } from "@/lib/http/route";
import { deliveryJsonSchema } from "@/lib/exchange/work-json-schemas";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "workspace.write", params: idParams, body: deliverBodySchema, response: deliveryJsonSchema, summary: "Deliver a contract's output by hand, or by a redelivery run of the bid's package" }, async ({ principal, params, body }) =>
  json("run" in body ? await redeliverByRun(principal, params.id, { executor: runExecutor() }) : await deliverOutput(principal, params.id, body.output), 201),
);
