// GET /api/v1/providers/:slug — a provider's public profile and its published packages (no sign-in)
import { route } from "@/lib/http/route";
import { getPublicProvider } from "@/lib/providers/providers";
import { z } from "zod";
import { slugParam } from "@/lib/http/params";

export const GET = route({ auth: "public", params: z.object({ slug: slugParam }) }, async ({ params }) => getPublicProvider(params.slug));
