// GET /api/v1/openapi.json — the API description (OpenAPI 3.1.0), generated from every route's declared schemas (public, cacheable)
import { json, route } from "@/lib/http/route";
import { openApiDocument, openApiRouteMeta } from "@/lib/openapi/document";

export const GET = route(openApiRouteMeta, async () => json(openApiDocument(), 200, { "cache-control": "public, max-age=300" }));
