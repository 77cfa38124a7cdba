// GET /api/v1/me — the caller: a user or an API key, its workspace and tier
import { describePrincipal } from "@/lib/auth/describe-principal";
import { route } from "@/lib/http/route";

export const GET = route({}, async ({ principal }) => describePrincipal(principal));
