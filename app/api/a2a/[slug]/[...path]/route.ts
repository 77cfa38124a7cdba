// GET /api/a2a/:slug/.well-known/agent-card.json — the package's A2A agent card (public; A2A v1.0
// JSON, lib/a2a/agent-card.ts), where A2A clients look for it from the agent's base URL
// /api/a2a/:slug/. 404 for an unknown or unpublished slug, and for any other path.
// A catch-all rather than a `.well-known` folder: the app router does not route dot-prefixed folders.
import { AGENT_CARD_PATH } from "@a2a-js/sdk";
import { z } from "zod";
import { packageAgentCard } from "@/lib/a2a/agent-card";
import { publicOrigin } from "@/lib/http/app-url";
import { ApiError } from "@/lib/http/errors";
import { slugParam } from "@/lib/http/params";
import { json, route } from "@/lib/http/route";
import { cardSnapshot } from "@/lib/remote/a2a";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam, path: z.array(z.string()) }) }, async ({ req, params }) => {
  if (params.path.join("/") !== AGENT_CARD_PATH) throw new ApiError("not_found", `No A2A route GET ${req.nextUrl.pathname}; the agent card is at /api/a2a/${params.slug}/${AGENT_CARD_PATH}.`);
  return json(cardSnapshot(await packageAgentCard(params.slug, publicOrigin(req.headers))), 200, { "cache-control": "public, max-age=60" });
});
