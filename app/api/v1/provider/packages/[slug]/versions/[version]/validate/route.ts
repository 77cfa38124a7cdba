// POST /api/v1/provider/packages/:slug/versions/:version/validate — DRAFT → VALIDATED once every check passes (a remote endpoint answers)
import { route } from "@/lib/http/route";
import { validatePackageVersion } from "@/lib/packages/package-versions";
import { packageVersionParams, packageVersionResponseSchema } from "@/lib/packages/schemas";

export const POST = route({ permission: "provider.manage", params: packageVersionParams, response: packageVersionResponseSchema, summary: "Validate a draft version (a remote endpoint must answer)" }, async ({ principal, params, ip }) => ({
  version: await validatePackageVersion(principal, params.slug, params.version, ip),
}));
