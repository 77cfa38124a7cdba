import { z } from "zod";
import type { RouteMeta } from "@/lib/http/route";
import { apiRoutes, type RouteModule } from "./routes";

// The API description (issue 22): OpenAPI 3.1.0 built from what each /api/v1 route declared to the route
// wrapper (lib/http/route.ts routeMeta) — the same zod schemas that validate its params, query and body,
// and the schema its success bodies are checked against while tests run. Served by GET /api/v1/openapi.json,
// rendered by /docs/api, and the source of the typed client (lib/api-client).

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

type JsonSchema = Record<string, unknown>;

export type Operation = {
  operationId: string;
  summary?: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  "x-permission"?: string;
  parameters?: { name: string; in: "path" | "query"; required: boolean; schema: JsonSchema; description?: string }[];
  requestBody?: { required: true; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
};

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Partial<Record<Lowercase<Method>, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
};

/** The one error shape of every refusal (SPEC §9, lib/http/errors.ts errorBody). */
export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().describe("Machine-readable, e.g. validation_failed, not_found, insufficient_credit."),
      message: z.string().describe("One sentence for a person."),
      details: z.unknown().optional().describe("For validation_failed: { issues: [{ path, message }] }."),
    }),
  })
  .meta({ id: "Error" });

export const OPENAPI_SUMMARY = "This API description (OpenAPI 3.1.0).";
export const openApiDocumentSchema = z.object({ openapi: z.literal("3.1.0") }).catchall(z.unknown());
/** The document's own route (app/api/v1/openapi.json) declares these options: described here, since this module cannot import it. */
export const openApiRouteMeta = { auth: "public", summary: OPENAPI_SUMMARY, response: openApiDocumentSchema } satisfies RouteMeta;
export const OPENAPI_PATH = "/api/v1/openapi.json";

const SUCCESS: Record<string, string> = { "200": "Success.", "201": "Created.", "202": "Accepted.", "204": "No content.", "303": "A redirect: follow the Location header." };
const SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];

type Converted = { schema: JsonSchema; defs: Record<string, JsonSchema> };

/**
 * zod 4's own converter, draft 2020-12 (what OpenAPI 3.1 uses). Schemas with a meta id become
 * components (their $defs, hoisted); what JSON Schema cannot say (a Date before coercion, a transform's
 * output) is left open rather than refused.
 */
function convert(schema: z.ZodType, io: "input" | "output"): Converted {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as JsonSchema;
  const { $schema: _schema, $defs, ...rest } = out;
  const rewrite = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  const defs = Object.fromEntries(Object.entries(($defs ?? {}) as Record<string, unknown>).map(([k, v]) => [k, rewrite(v)]));
  return { schema: rewrite(rest), defs };
}

function tagOf(path: string): string {
  const [, , , first] = path.split("/");
  return first ?? "api";
}

function operationId(method: Method, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith("{") ? "By" + w.slice(1, -1).replace(/^./, (c) => c.toUpperCase()) : w.replace(/^./, (c) => c.toUpperCase())));
  return method.toLowerCase() + words.join("");
}

function describe(meta: RouteMeta): string {
  if (meta.auth === "public") return "Public: no credentials needed (a signed-in caller is recognised).";
  return `Requires an API key (\`Authorization: Bearer <key>\`) or a browser session. Permission: \`${meta.permission}\`.`;
}

function parameters(meta: RouteMeta, components: Record<string, JsonSchema>): Operation["parameters"] {
  const out: NonNullable<Operation["parameters"]> = [];
  for (const [where, schema] of [
    ["path", meta.params],
    ["query", meta.query],
  ] as const) {
    if (!schema) continue;
    const { schema: json, defs } = convert(schema, "input");
    Object.assign(components, defs);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      out.push({ name, in: where, required: where === "path" || required.has(name), schema: rest, ...(typeof description === "string" ? { description } : {}) });
    }
  }
  return out.length > 0 ? out : undefined;
}

function operation(method: Method, path: string, meta: RouteMeta, components: Record<string, JsonSchema>): Operation {
  const op: Operation = {
    operationId: operationId(method, path),
    ...(meta.summary ? { summary: meta.summary } : {}),
    description: describe(meta),
    tags: [tagOf(path)],
    security: meta.auth === "public" ? [] : SECURITY,
    ...(meta.permission ? { "x-permission": meta.permission } : {}),
    responses: {},
  };
  const params = parameters(meta, components);
  if (params) op.parameters = params;
  if (meta.body) {
    const { schema, defs } = convert(meta.body, "input");
    Object.assign(components, defs);
    op.requestBody = { required: true, content: { "application/json": { schema } } };
  }
  // JSON bodies go under the route's success status; streams and files are always 200s. A route that
  // creates (201) and can stream answers 200 with the stream, or with the JSON of a replayed request.
  const status = String(meta.status ?? 200);
  if (meta.response) {
    const { schema, defs } = convert(meta.response, "output");
    Object.assign(components, defs);
    op.responses[status] = { description: SUCCESS[status] ?? "Success.", content: { "application/json": { schema } } };
  } else if (!meta.produces) op.responses[status] = { description: SUCCESS[status] ?? "Success." };
  const produced = Object.entries(meta.produces ?? {});
  if (produced.length > 0) {
    const ok = (op.responses["200"] ??= { description: "" }) as { description: string; content?: Record<string, { schema: JsonSchema }> };
    ok.description = [ok.description || "Success.", ...produced.map(([type, what]) => `${type}: ${what}`)].join(" ");
    const json = (op.responses[status] as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content;
    ok.content = { ...json, ...Object.fromEntries(produced.map(([type]) => [type, { schema: { type: "string" } }])) };
  }
  op.responses["4XX"] = { $ref: "#/components/responses/Error" };
  return op;
}

/** The route modules' handlers that carry routeMeta, method by method. */
export function operationsOf(module: RouteModule): { method: Method; meta: RouteMeta }[] {
  return METHODS.flatMap((method) => {
    const handler = module[method] as { routeMeta?: RouteMeta } | undefined;
    return handler?.routeMeta ? [{ method, meta: handler.routeMeta }] : [];
  });
}

let cached: OpenApiDocument | undefined;

/** The whole document; built once per process (the routes are fixed at build time). */
export function openApiDocument(): OpenApiDocument {
  if (cached) return cached;
  const components: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument["paths"] = {};
  const routes = [...apiRoutes, { path: OPENAPI_PATH, module: { GET: { routeMeta: openApiRouteMeta } } as RouteModule }];
  for (const { path, module } of routes) {
    for (const { method, meta } of operationsOf(module)) {
      (paths[path] ??= {})[method.toLowerCase() as Lowercase<Method>] = operation(method, path, meta, components);
    }
  }
  // A schema with a meta id converts to a $ref to itself plus its definition: the definition is the component.
  const error = convert(errorResponseSchema, "output");
  Object.assign(components, error.defs);
  components.Error ??= error.schema;
  const tags = [...new Set(Object.keys(paths).map(tagOf))].sort().map((name) => ({ name }));
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Agora API",
      version: "1",
      description:
        "The Agora marketplace API. Authenticate with an API key as `Authorization: Bearer <key>` (or a browser session). " +
        "Money is integer micro-USD. Every refusal is JSON `{ error: { code, message, details } }` with a 4xx status.",
    },
    servers: [{ url: "/" }],
    tags,
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      responses: { Error: { description: "The request was refused.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key made on the Keys page or with POST /api/v1/keys." },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The browser session of a signed-in user." },
      },
    },
  };
  return cached;
}
