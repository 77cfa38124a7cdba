// GET /api/v1/runs/:id — one run of the caller's workspace, with input and output
import { idParams } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { runDetailSchema } from "@/lib/runs/response-schemas";
import { getRun } from "@/lib/runs/run-queries";

export const GET = route({ permission: "workspace.read", params: idParams, response: runDetailSchema, summary: "One run with its input, output, child runs and price breakdown." }, async ({ principal, params }) => getRun(principal.workspace.id, params.id));
