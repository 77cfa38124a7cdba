// POST /api/v1/provider/packages/:slug/versions/:version/submit — VALIDATED → SUBMITTED: into the admin review queue
import { route } from "@/lib/http/route";
import { submitPackageVersion } from "@/lib/packages/package-versions";
import { packageVersionParams, packageVersionResponseSchema } from "@/lib/packages/schemas";

export const POST = route({ permission: "provider.manage", params: packageVersionParams, response: packageVersionResponseSchema, summary: "Submit a validated version for review" }, async ({ principal, params, ip }) => ({
  version: await submitPackageVersion(principal, params.slug, params.version, ip),
}));
