// PUT /api/v1/provider/logo — multipart `logo`: PNG, JPEG or WebP (by its bytes), ≤ 256 KB (workspace owner)
import { route } from "@/lib/http/route";
import { setWorkspaceProviderLogo } from "@/lib/providers/providers";
import { savedProviderResponseSchema } from "@/lib/providers/schemas";

export const PUT = route({ permission: "provider.manage", response: savedProviderResponseSchema, summary: "Upload your provider's logo (multipart `logo`: PNG, JPEG or WebP, at most 256 KB)" }, async ({ principal, req, ip }) => ({ provider: await setWorkspaceProviderLogo(principal, req, ip) }));
