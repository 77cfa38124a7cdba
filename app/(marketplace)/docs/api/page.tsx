import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/api-reference";
import { openApiDocument } from "@/lib/openapi/document";

export const metadata: Metadata = { title: "API reference", description: "Every Agora API operation: parameters, bodies, responses, permissions and curl examples." };

// /docs/api — the API description (GET /api/v1/openapi.json) rendered on the server: no script, no CDN.
export default function ApiDocsPage() {
  return <ApiReference document={openApiDocument()} />;
}
