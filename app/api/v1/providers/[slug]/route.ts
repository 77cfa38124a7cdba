// GET /api/v1/providers/:slug — a provider's public profile and its published packages (no sign-in)
import { route } from "@/lib/http/route";
import { getPublicProvider } from "@/lib/providers/providers";
import { publicProviderSchema } from "@/lib/providers/schemas";
import { z } from "zod";
import { slugParam } from "@/lib/http/params";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }), response: publicProviderSchema, summary: "A provider's public profile and its published packages" }, async ({ params }) => getPublicProvider(params.slug));
