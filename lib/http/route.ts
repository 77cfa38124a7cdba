import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import type { z } from "zod";
import { authOptions } from "@/lib/auth/auth-options";
import { assertCan, type Permission } from "@/lib/auth/permissions";
import { principalFromApiKey, principalFromUser, WORKSPACE_COOKIE, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { metrics, routeTemplate } from "@/lib/observability/metrics";
import { limitRequest, RateLimited, rateLimitHeaders } from "@/lib/rate-limits/limits";
import { readJsonBody } from "./body";
import { ApiError, errorBody, errorHeaders, toApiError } from "./errors";
import { publicOrigin } from "./app-url";
import { clientIp } from "./client-ip";
import { assertNoNul, parseWith, searchParamsObject } from "./validate";

// The one wrapper every /api route goes through: request id, caller, workspace,
// permission, path params, body and query validation, and the one error shape (SPEC §9).

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;
type RouteParams = { params: Promise<Record<string, string | string[]>> };
/** A route's path params: `z.object({ id: idParam })` (lib/http/params.ts). */
type ParamsSchema = z.ZodType<Record<string, unknown>, Record<string, string | string[]>> | undefined;

type Auth = "public" | "principal";

export type RouteContext<A extends Auth, B extends Schema, Q extends Schema, P extends ParamsSchema = undefined> = {
  req: NextRequest;
  requestId: string;
  ip: string | null;
  principal: A extends "principal" ? Principal : Principal | null;
  body: Out<B>;
  query: Out<Q>;
  params: P extends z.ZodType ? z.output<P> : undefined;
};

type Options<A extends Auth, B extends Schema, Q extends Schema, P extends ParamsSchema> = {
  /** "principal" (default) requires a session or API key; "public" resolves one if present. */
  auth?: A;
  body?: B;
  query?: Q;
  /** The path's [segments] (lib/http/params.ts): a malformed id is a 400 before the handler runs. */
  params?: P;
  /**
   * The JSON body of a success (2xx) response, as it is on the wire (dates as ISO strings, money as
   * numbers): documented in /api/v1/openapi.json, and checked against every response while tests run
   * (NODE_ENV=test), so a schema cannot drift from what the handler sends.
   */
  response?: z.ZodType;
  /** One line for the API description; the operation's summary. */
  summary?: string;
  /** The documented success status when it is not 200: 201 for a route that creates, 202, 204 (no body), 303 (a redirect). */
  status?: SuccessStatus;
  /** Success bodies that are not JSON (a stream, a file): media type → what it carries, for the API description. */
  produces?: Record<string, string>;
} & (A extends "public"
  ? { permission?: never }
  : {
      /** What the caller must be allowed to do; every signed-in route names one ("workspace.read" at least). */
      permission: Permission;
    });

/** What a route declared, kept on its handler for the API description (lib/openapi). */
export type RouteMeta = {
  auth?: Auth;
  permission?: Permission;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  response?: z.ZodType;
  summary?: string;
  status?: SuccessStatus;
  produces?: Record<string, string>;
};

export type SuccessStatus = 201 | 202 | 204 | 303;

/** `json(data, 201)` for a status other than 200. */
export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

/**
 * Whether a browser's Origin is this app's — scheme and host (lib/http/app-url.ts
 * publicOrigin: NEXTAUTH_URL, or the request's own, X-Forwarded-* only from a
 * trusted proxy). req.nextUrl is no reference: `next start -H` rewrites its host.
 */
function sameOrigin(origin: string, req: NextRequest): boolean {
  try {
    return new URL(origin).origin === publicOrigin(req.headers);
  } catch {
    return false;
  }
}

async function resolvePrincipal(req: NextRequest): Promise<Principal | null> {
  const authorization = req.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new ApiError("unauthenticated", "Use `Authorization: Bearer <api key>`.");
    return principalFromApiKey(match[1]!);
  }
  const token = await getToken({ req, secret: authOptions().secret });
  if (!token?.sub) return null;
  // Cookie-authenticated writes must come from our own pages (defence in depth on top of SameSite).
  const origin = req.headers.get("origin");
  if (req.method !== "GET" && req.method !== "HEAD" && origin && !sameOrigin(origin, req)) {
    throw new ApiError("forbidden", "Cross-origin requests cannot use a browser session.");
  }
  return principalFromUser(token.sub, req.cookies.get(WORKSPACE_COOKIE)?.value, token);
}

/**
 * While tests run, a handler's success body must match its declared `response` schema: every
 * integration test then checks the API description too. A mismatch is a 500 naming the paths.
 */
async function assertResponseShape(schema: z.ZodType, result: unknown, req: NextRequest): Promise<void> {
  let body: unknown = result;
  if (result instanceof Response) {
    if (result.status < 200 || result.status >= 300 || !result.headers.get("content-type")?.includes("application/json")) return;
    body = await result.clone().json();
  } else body = JSON.parse(JSON.stringify(result ?? null));
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`${req.method} ${req.nextUrl.pathname}: response does not match its schema: ${issues.slice(0, 2000)}`);
  }
}

export function route<A extends Auth = "principal", B extends Schema = undefined, Q extends Schema = undefined, P extends ParamsSchema = undefined>(
  options: Options<A, B, Q, P>,
  handler: (ctx: RouteContext<A, B, Q, P>) => Promise<Response | unknown>,
) {
  const handle = async (req: NextRequest, routeParams: RouteParams): Promise<Response> => {
    const requestId = req.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const headers: Record<string, string> = { "x-request-id": requestId, "cache-control": "no-store" };
    const started = performance.now();
    let workspaceOf: string | undefined;
    const respond = (response: Response) => {
      // A 404 path is whatever the caller typed: one label for all of them keeps cardinality bounded.
      const labels = { route: response.status === 404 ? "(not found)" : routeTemplate(req.nextUrl.pathname), method: req.method };
      const m = metrics();
      const seconds = (performance.now() - started) / 1000;
      m.httpRequests.inc({ ...labels, status: String(response.status) });
      m.httpDuration.observe(labels, seconds);
      // One line per request: no headers, no bodies, no query strings.
      log.info("request", { requestId, method: req.method, route: labels.route, status: response.status, durationMs: Math.round(seconds * 1000), workspaceId: workspaceOf ?? null });
      return response;
    };
    try {
      const ip = clientIp(req.headers);
      const principal = await resolvePrincipal(req);
      workspaceOf = principal?.workspace.id;
      if (!principal && (options.auth ?? "principal") === "principal") {
        throw new ApiError("unauthenticated", "Sign in, or send an API key as `Authorization: Bearer <key>`.");
      }
      // Every request of a caller counts (SPEC §5); the headers go on whatever the response is.
      if (principal) Object.assign(headers, rateLimitHeaders(await limitRequest(principal)));
      if (principal && options.permission) assertCan(principal, options.permission);
      const params = options.params ? parseWith(options.params, await routeParams.params) : undefined;
      // PostgreSQL refuses NUL in text: a NUL in any query value is the caller's 400, whether a schema reads it or not.
      for (const [name, value] of req.nextUrl.searchParams) assertNoNul({ [name]: value });
      const body = options.body ? parseWith(options.body, await readJsonBody(req, env().AGORA_BODY_LIMIT_BYTES)) : undefined;
      const query = options.query ? parseWith(options.query, searchParamsObject(req.nextUrl)) : undefined;
      const result = await handler({ req, requestId, ip, principal, body, query, params } as RouteContext<A, B, Q, P>);
      if (options.response && env().NODE_ENV === "test") await assertResponseShape(options.response, result, req);
      const response = result instanceof Response ? result : json(result);
      for (const [k, v] of Object.entries(headers)) if (!response.headers.has(k)) response.headers.set(k, v);
      return respond(response);
    } catch (err) {
      // A client that went away is a 499 when that is what failed (a cut body, an aborted read:
      // toApiError knows them); any other error stays what it is, and is logged as one.
      const apiError = toApiError(err);
      if (err instanceof RateLimited) Object.assign(headers, rateLimitHeaders(err.decision));
      if (apiError.code === "client_closed_request") log.info("request aborted by client", { requestId, method: req.method, path: req.nextUrl.pathname });
      else if (apiError.status >= 500) {
        // An ApiError is a refusal we chose (e.g. billing not configured): a line, not a stack trace.
        if (err instanceof ApiError) log.warn("request refused", { requestId, method: req.method, path: req.nextUrl.pathname, code: apiError.code });
        else log.error("request failed", { requestId, method: req.method, path: req.nextUrl.pathname, err });
      }
      return respond(json(errorBody(apiError), apiError.status, { ...headers, ...errorHeaders(apiError) }));
    }
  };
  return Object.assign(handle, { routeMeta: options as RouteMeta });
}
