// PUT /api/v1/provider/logo — multipart `logo`: PNG, JPEG or WebP (by its bytes), ≤ 256 KB (workspace owner)
import { route } from "@/lib/http/route";
import { setWorkspaceProviderLogo } from "@/lib/providers/providers";

export const PUT = route({ permission: "provider.manage" }, async ({ principal, req, ip }) => ({ provider: await setWorkspaceProviderLogo(principal, req, ip) }));
