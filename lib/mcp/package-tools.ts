import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { db } from "@/lib/db/client";
import { resolveRunPackage, type RunCaller } from "@/lib/runs/accept-run";
import { decodeCursor, encodeCursor } from "@/lib/http/cursor";
import { formatUsdExact, microsJson } from "@/lib/money/format";

// Every package in the catalog (CatalogEntry: one row per slug, its newest published
// version, kept by triggers) as an MCP tool: name = slug (lowercase letters, digits and
// hyphens, which MCP tool names allow), arguments = the package's input — of the version
// a call would run: a slug the caller's key or workspace pins is shown at its pinned
// version. Pages in slug order with an opaque cursor, so tools/list never reads unbounded rows.

export const TOOLS_PAGE = 100;
/** A package's markdown description is cut here in a tool's description: clients put every tool's into the model's context. */
const DESCRIPTION_CHARS = 1_500;

type PackageToolRow = { slug: string; version: string; name: string; summary: string; description: string; baseFeeMicros: bigint; inputSchema: unknown; outputSchema: unknown };

/** A JSON Schema MCP accepts as a tool's input or output schema: an object schema. */
function objectSchema(schema: unknown): { type: "object"; [key: string]: unknown } | undefined {
  return schema && typeof schema === "object" && !Array.isArray(schema) && (schema as { type?: unknown }).type === "object" ? (schema as { type: "object" }) : undefined;
}

function describe(r: PackageToolRow): string {
  const description = r.description.length > DESCRIPTION_CHARS ? `${r.description.slice(0, DESCRIPTION_CHARS)}…` : r.description;
  const price = `Price: a base fee of ${formatUsdExact(microsJson(r.baseFeeMicros))} per run plus the model's usage, charged to your Agora workspace like an API run.`;
  return [r.summary, description, price].filter(Boolean).join("\n\n");
}

/** One package as a tool, or nothing for a package whose input is not an object (MCP arguments always are). */
export function packageTool(r: PackageToolRow): Tool | undefined {
  const inputSchema = objectSchema(r.inputSchema);
  if (!inputSchema) return undefined;
  const outputSchema = objectSchema(r.outputSchema);
  return {
    name: r.slug,
    title: r.name,
    description: describe(r),
    inputSchema,
    ...(outputSchema && { outputSchema }),
    annotations: { title: r.name, openWorldHint: true },
    _meta: { "agora/version": r.version, "agora/baseFeeMicros": microsJson(r.baseFeeMicros) },
  };
}

/** The version row a run of the slug would get when the caller pins it (lib/runs/accept-run.ts), else the catalog's newest. */
async function versionFor(caller: Pick<RunCaller, "keyPins" | "workspace">, entry: { slug: string; packageId: string }): Promise<string> {
  if (!(caller.keyPins?.[entry.slug] ?? caller.workspace.packagePins?.[entry.slug])) return entry.packageId;
  // A pin no version matches: the call answers 404; the listing shows the newest.
  return resolveRunPackage(entry.slug, caller).then(({ row }) => row.id, () => entry.packageId);
}

/** One page of `caller`'s package tools after `cursor` (a previous page's nextCursor); a cursor that is not one is a 400 ApiError. */
export async function listPackageTools(caller: Pick<RunCaller, "keyPins" | "workspace">, cursor: string | undefined, limit = TOOLS_PAGE): Promise<{ tools: Tool[]; nextCursor?: string }> {
  const after = cursor === undefined ? undefined : (decodeCursor(cursor, ["string"])[0] as string);
  const entries = await db.catalogEntry.findMany({ where: after === undefined ? {} : { slug: { gt: after } }, orderBy: { slug: "asc" }, take: limit + 1, select: { slug: true, packageId: true } });
  const page = entries.slice(0, limit);
  const ids = await Promise.all(page.map((e) => versionFor(caller, e)));
  const rows = await db.agentPackage.findMany({
    where: { id: { in: ids }, status: { in: ["PUBLISHED", "YANKED"] } },
    select: { slug: true, version: true, name: true, summary: true, description: true, baseFeeMicros: true, inputSchema: true, outputSchema: true },
    orderBy: { slug: "asc" },
  });
  const tools = rows.map(packageTool).filter((t) => t !== undefined);
  const last = page.at(-1);
  return { tools, ...(entries.length > limit && last && { nextCursor: encodeCursor([last.slug]) }) };
}
