// GET /api/v1/agents/:slug/upgrade-previews/candidates?from=1.0.0 — version A (default: the workspace's pin, else
//   its latest run's version), the versions to try, and up to 20 recent distinct inputs of the workspace's runs of A.
import { z } from "zod";
import { route } from "@/lib/http/route";
import { upgradeCandidatesSchema } from "@/lib/packages/upgrade-preview-responses";
import { slugParam } from "@/lib/http/params";
import { upgradeCandidates, upgradeCandidatesQuerySchema } from "@/lib/packages/upgrade-preview";

export const GET = route({ permission: "workspace.read", params: z.object({ slug: slugParam }), query: upgradeCandidatesQuerySchema, response: upgradeCandidatesSchema, summary: "What an upgrade preview can compare: version A, the versions to try, and recent inputs of A." }, async ({ principal, params, query }) =>
  upgradeCandidates(principal, params.slug, query.from),
);
