// GET /api/v1/provider — the workspace's provider profile ({ provider: null } before it becomes one)
// PUT /api/v1/provider — { name, slug, description?, supportUrl?, supportEmail? }: creates or replaces it (workspace owner)
import { route } from "@/lib/http/route";
import { getWorkspaceProvider, saveWorkspaceProvider } from "@/lib/providers/providers";
import { providerBodySchema, savedProviderResponseSchema, workspaceProviderResponseSchema } from "@/lib/providers/schemas";

export const GET = route({ permission: "workspace.read", response: workspaceProviderResponseSchema, summary: "Your workspace's provider profile (null before it is a provider)" }, async ({ principal }) => ({ provider: await getWorkspaceProvider(principal.workspace.id) }));

export const PUT = route({ permission: "provider.manage", body: providerBodySchema, response: savedProviderResponseSchema, summary: "Create or replace your workspace's provider profile" }, async ({ principal, body, ip }) => ({ provider: await saveWorkspaceProvider(principal, body, ip) }));
