// POST /api/v1/runs/quote — { agent, input }: the expected price (p50, p95 of recent runs, or an
// estimate), the maximum that will be held, and whether the available balance covers it. Nothing is held.
import { route } from "@/lib/http/route";
import { quoteRun, quoteSchema } from "@/lib/runs/money/quote";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", body: quoteSchema }, async ({ principal, body }) => quoteRun(principal, body, runExecutor()));
