// GET /api/v1/provider/packages/:slug/versions/:version — one of the provider's versions, with its manifest and review note
// PUT /api/v1/provider/packages/:slug/versions/:version — a manifest: replaces a DRAFT, VALIDATED or REJECTED version's (it is a DRAFT again)
import { route } from "@/lib/http/route";
import { manifestSchema } from "@/lib/packages/manifest";
import { getProviderPackageVersion, updatePackageVersion } from "@/lib/packages/package-versions";
import { packageVersionParams, packageVersionResponseSchema } from "@/lib/packages/schemas";

export const GET = route({ permission: "provider.manage", params: packageVersionParams, response: packageVersionResponseSchema, summary: "One of your package versions, with its manifest and review note" }, async ({ principal, params }) => ({
  version: await getProviderPackageVersion(principal.workspace.id, params.slug, params.version),
}));

export const PUT = route({ permission: "provider.manage", params: packageVersionParams, body: manifestSchema, response: packageVersionResponseSchema, summary: "Replace a draft, validated or rejected version's manifest (it is a draft again)" }, async ({ principal, params, body, ip }) => ({
  version: await updatePackageVersion(principal, params.slug, params.version, body, ip),
}));
