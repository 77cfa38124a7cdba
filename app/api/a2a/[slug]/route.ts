// POST /api/a2a/:slug — the package as an A2A agent (JSON-RPC 2.0; lib/a2a/json-rpc.ts): v1.0
// SendMessage / SendStreamingMessage / GetTask / CancelTask / SubscribeToTask and their v0.3 names
// (message/send, message/stream, tasks/get, tasks/cancel, tasks/resubscribe). An API key
// (`Authorization: Bearer`) or a session; each message is a normal metered, charged run of the package.
// 404 for a slug with no published version; a body that is not JSON is a 400 before JSON-RPC.
import { z } from "zod";
import { handleA2aRequest } from "@/lib/a2a/json-rpc";
import { latestPublishedPackage } from "@/lib/agents/published-packages";
import { env } from "@/lib/env";
import { publicOrigin } from "@/lib/http/app-url";
import { readJsonBody } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";
import { slugParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { runExecutor } from "@/lib/runs/run-executor-instance";

export const POST = route({ permission: "runs.create", params: z.object({ slug: slugParam }) }, async ({ req, principal, params: { slug } }) => {
  const pkg = await latestPublishedPackage(slug);
  if (!pkg || pkg.status !== "PUBLISHED") throw new ApiError("not_found", `No published agent '${slug}'.`);
  const body = await readJsonBody(req, env().AGORA_BODY_LIMIT_BYTES);
  return handleA2aRequest(body, { principal, slug, origin: publicOrigin(req.headers), executor: runExecutor(), signal: req.signal });
});
