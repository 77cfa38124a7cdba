// POST /api/v1/provider/packages/:slug/versions/:version/yank — { reason }: PUBLISHED → YANKED (new runs use the newest other published version)
import { route } from "@/lib/http/route";
import { yankPackageVersion } from "@/lib/packages/package-versions";
import { packageVersionParams, packageVersionResponseSchema, yankVersionBodySchema } from "@/lib/packages/schemas";

export const POST = route({ permission: "provider.manage", params: packageVersionParams, body: yankVersionBodySchema, response: packageVersionResponseSchema, summary: "Yank a published version: new runs use the newest other published version" }, async ({ principal, params, body, ip }) => ({
  version: await yankPackageVersion(principal, params.slug, params.version, body.reason, ip),
}));
