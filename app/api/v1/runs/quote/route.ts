// POST /api/v1/runs/quote — { agent, input }: the expected price (p50, p95 of recent runs, or an
// estimate), the maximum that will be held, and whether the available balance covers it. Nothing is held.
import { route } from "@/lib/http/route";
import { quoteRun, quoteSchema } from "@/lib/runs/money/quote";
import { quoteResponseSchema } from "@/lib/runs/response-schemas";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", body: quoteSchema, response: quoteResponseSchema, summary: "The expected price and maximum hold of a run; nothing is held." }, async ({ principal, body }) => quoteRun(principal, body, runExecutor()));
