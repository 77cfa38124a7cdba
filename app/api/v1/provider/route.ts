// GET /api/v1/provider — the workspace's provider profile ({ provider: null } before it becomes one)
// PUT /api/v1/provider — { name, slug, description?, supportUrl?, supportEmail? }: creates or replaces it (workspace owner)
import { route } from "@/lib/http/route";
import { getWorkspaceProvider, saveWorkspaceProvider } from "@/lib/providers/providers";
import { providerBodySchema } from "@/lib/providers/schemas";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => ({ provider: await getWorkspaceProvider(principal.workspace.id) }));

export const PUT = route({ permission: "provider.manage", body: providerBodySchema }, async ({ principal, body, ip }) => ({ provider: await saveWorkspaceProvider(principal, body, ip) }));
