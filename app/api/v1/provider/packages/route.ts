// GET /api/v1/provider/packages — the provider's packages with their versions and status (workspace owner)
// POST /api/v1/provider/packages — a manifest (lib/packages/manifest.ts): a new DRAFT version (201)
import { json, route } from "@/lib/http/route";
import { manifestSchema } from "@/lib/packages/manifest";
import { createPackageVersion, listProviderPackages } from "@/lib/packages/package-versions";
import { packageVersionResponseSchema, providerPackagesResponseSchema } from "@/lib/packages/schemas";

export const GET = route({ permission: "provider.manage", response: providerPackagesResponseSchema, summary: "Your provider's packages with their versions and status" }, async ({ principal }) => ({ packages: await listProviderPackages(principal.workspace.id) }));

export const POST = route({ permission: "provider.manage", body: manifestSchema, response: packageVersionResponseSchema, summary: "Create a new draft version from a manifest" }, async ({ principal, body, ip }) => json({ version: await createPackageVersion(principal, body, ip) }, 201));
