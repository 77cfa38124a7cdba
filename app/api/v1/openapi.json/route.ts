// GET /api/v1/openapi.json — the API description (OpenAPI 3.1.0), generated from every route's declared schemas (public, cacheable)
import { json, route } from "@/lib/http/route";
import { OPENAPI_SUMMARY, openApiDocument, openApiDocumentSchema } from "@/lib/openapi/document";

// lib/openapi/document.ts describes this route from the same options (it cannot import it: the document is built here).
export const GET = route({ auth: "public", summary: OPENAPI_SUMMARY, response: openApiDocumentSchema }, async () =>
  json(openApiDocument(), 200, { "cache-control": "public, max-age=300" }),
);
