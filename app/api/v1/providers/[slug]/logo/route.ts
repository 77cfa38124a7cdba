// GET /api/v1/providers/:slug/logo — the provider's logo image (no sign-in); its URL carries ?v=<updated> so it may be cached
import { route } from "@/lib/http/route";
import { z } from "zod";
import { slugParam } from "@/lib/http/params";
import { providerLogo } from "@/lib/providers/providers";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }), summary: "A provider's logo image (PNG, JPEG or WebP; cacheable)", produces: { "image/png": "the logo (or image/jpeg, image/webp, as uploaded)" } }, async ({ params, req }) => {
  const logo = await providerLogo(params.slug);
  const etag = `"${logo.updatedAt.getTime()}"`;
  const headers = { "content-type": logo.type, "cache-control": "public, max-age=3600", etag, "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'" };
  if (req.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(logo.bytes), { headers: { ...headers, "content-length": String(logo.bytes.byteLength) } });
});
