import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import type { OpenApiDocument, Operation } from "@/lib/openapi/document";
import { OperationCard } from "./operation-card";
import { SchemaBlock } from "./schema-block";

type Entry = { method: string; path: string; operation: Operation };

/** The operations of the document grouped by tag, in path order. */
function byTag(document: OpenApiDocument): [string, Entry[]][] {
  const groups = new Map<string, Entry[]>(document.tags.map((t) => [t.name, []]));
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) groups.get(operation.tags[0]!)?.push({ method, path, operation });
  }
  return [...groups].filter(([, entries]) => entries.length > 0);
}

/** The whole API reference: an introduction, a contents list, each tag's operations, then the shared schemas. */
export function ApiReference({ document }: { document: OpenApiDocument }) {
  const groups = byTag(document);
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <PageHeader title="API reference">
          OpenAPI {document.openapi} · {Object.keys(document.paths).length} paths · generated from the routes&apos; own schemas.
        </PageHeader>
        <p className="max-w-3xl text-sm text-slate-700">{document.info.description}</p>
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          <li>
            The machine-readable description: <a className="font-medium text-brand-700 underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
          </li>
          <li>
            Make an API key on the <Link className="font-medium text-brand-700 underline" href="/keys">Keys</Link> page; send it as{" "}
            <code className="rounded bg-slate-100 px-1">Authorization: Bearer &lt;key&gt;</code>.
          </li>
          <li>
            A typed TypeScript client: <code className="rounded bg-slate-100 px-1">createAgoraClient</code> in <code className="rounded bg-slate-100 px-1">lib/api-client</code> (see the README).
          </li>
        </ul>
      </div>

      <nav aria-labelledby="api-contents" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="api-contents" className="text-base font-semibold">
          Contents
        </h2>
        <ul className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-3">
          {groups.map(([tag, entries]) => (
            <li key={tag}>
              <a className="text-brand-700 underline" href={`#tag-${tag}`}>
                {tag}
              </a>{" "}
              <span className="text-slate-500">({entries.length})</span>
            </li>
          ))}
          <li>
            <a className="text-brand-700 underline" href="#schemas">
              Shared schemas
            </a>
          </li>
        </ul>
      </nav>

      {groups.map(([tag, entries]) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="space-y-3">
          <h2 id={`tag-${tag}`} className="scroll-mt-4 border-b border-slate-200 pb-1 text-xl font-semibold">
            {tag}
          </h2>
          <ul className="space-y-1 text-sm">
            {entries.map(({ method, path, operation }) => (
              <li key={operation.operationId}>
                <a className="break-all text-brand-700 underline" href={`#${operation.operationId}`}>
                  <span className="font-mono font-semibold uppercase">{method}</span> <span className="font-mono">{path}</span>
                </a>
              </li>
            ))}
          </ul>
          {entries.map(({ method, path, operation }) => (
            <OperationCard key={operation.operationId} method={method} path={path} operation={operation} components={document.components.schemas} />
          ))}
        </section>
      ))}

      <section aria-labelledby="schemas" className="space-y-3">
        <h2 id="schemas" className="scroll-mt-4 border-b border-slate-200 pb-1 text-xl font-semibold">
          Shared schemas
        </h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="scroll-mt-4 space-y-1">
            <h3 className="font-mono text-base font-semibold">{name}</h3>
            <SchemaBlock schema={schema} />
          </div>
        ))}
      </section>
    </div>
  );
}
