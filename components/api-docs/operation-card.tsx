import { Badge } from "@/components/ui/badge";
import type { Operation } from "@/lib/openapi/document";
import { exampleOf } from "@/lib/openapi/examples";
import { SchemaBlock } from "./schema-block";

type Schema = Record<string, unknown>;

const methodTone = { get: "brand", post: "success", put: "warning", patch: "warning", delete: "danger" } as const;

/** A curl command for the operation: path params as placeholders, the required query params, an example body. */
function curlOf(method: string, path: string, operation: Operation, components: Record<string, Schema>): string {
  const query = (operation.parameters ?? []).filter((p) => p.in === "query" && p.required).map((p) => `${p.name}=${encodeURIComponent(String(exampleOf(p.schema, components)))}`);
  const url = `$AGORA_URL${path.replace(/\{(\w+)\}/g, (_, name: string) => `<${name}>`)}${query.length ? `?${query.join("&")}` : ""}`;
  const lines = [`curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "${url}"`];
  if (operation.security.length > 0) lines.push(`  -H "Authorization: Bearer $AGORA_API_KEY"`);
  const body = operation.requestBody?.content["application/json"]?.schema;
  if (body) lines.push(`  -H "content-type: application/json"`, `  -d '${JSON.stringify(exampleOf(body, components)).replaceAll("'", "'\\''")}'`);
  return lines.join(" \\\n");
}

/** One operation: method and path, summary, permission, parameters, request and response schemas, a curl example. */
export function OperationCard({ method, path, operation, components }: { method: string; path: string; operation: Operation; components: Record<string, Schema> }) {
  const responses = Object.entries(operation.responses).filter(([status]) => status !== "4XX") as [string, { description: string; content?: Record<string, { schema: Schema }> }][];
  return (
    <article id={operation.operationId} aria-labelledby={`${operation.operationId}-title`} className="scroll-mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-center gap-2 text-base font-semibold">
        <Badge tone={methodTone[method as keyof typeof methodTone] ?? "neutral"}>{method.toUpperCase()}</Badge>
        <span className="break-all font-mono">{path}</span>
      </h3>
      {operation.summary && <p className="text-sm text-slate-800">{operation.summary}</p>}
      <p className="text-sm text-slate-600">
        {operation["x-permission"] ? (
          <>
            Permission: <code className="rounded bg-slate-100 px-1">{operation["x-permission"]}</code> · API key or session
          </>
        ) : (
          "Public: no credentials needed"
        )}
      </p>

      {operation.parameters && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Parameters</caption>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-3">Parameter</th>
                <th scope="col" className="py-1 pr-3">In</th>
                <th scope="col" className="py-1 pr-3">Schema</th>
              </tr>
            </thead>
            <tbody>
              {operation.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`} className="border-t border-slate-100 align-top">
                  <td className="py-1 pr-3 font-mono">
                    {p.name}
                    {p.required && <span className="text-red-700" title="required">*</span>}
                  </td>
                  <td className="py-1 pr-3">{p.in}</td>
                  <td className="break-all py-1 pr-3 font-mono text-xs">{JSON.stringify(p.schema)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {operation.requestBody && (
        <details>
          <summary className="cursor-pointer text-sm font-medium">Request body (application/json)</summary>
          <SchemaBlock schema={operation.requestBody.content["application/json"]?.schema} />
        </details>
      )}

      {responses.map(([status, response]) => (
        <details key={status}>
          <summary className="cursor-pointer text-sm font-medium">
            {status} — {response.description}
            {response.content ? ` (${Object.keys(response.content).join(", ")})` : ""}
          </summary>
          {response.content?.["application/json"] && <SchemaBlock schema={response.content["application/json"].schema} />}
        </details>
      ))}
      <p className="text-sm text-slate-600">
        Errors: 4xx with <a className="text-brand-700 underline" href="#schema-Error">Error</a> {"{ error: { code, message, details } }"}.
      </p>

      <div>
        <p className="text-sm font-medium">Example</p>
        <pre tabIndex={0} className="overflow-x-auto rounded-md bg-slate-950 p-3 text-xs text-slate-100">
          {curlOf(method, path, operation, components)}
        </pre>
      </div>
    </article>
  );
}
