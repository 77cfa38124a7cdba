import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";

type JsonBody = Record<string, unknown> & { error: { code: string; message: string; details: { issues: { path: string }[] } } };

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route handler the way Next does: a NextRequest plus its params promise. */
export async function callRoute(
  handler: Handler,
  opts: { method?: string; path?: string; body?: string | FormData; headers?: Record<string, string>; params?: Record<string, string | string[]> } = {},
) {
  const method = opts.method ?? "GET";
  const headers = new Headers(opts.headers);
  if (typeof opts.body === "string" && !headers.has("content-type")) headers.set("content-type", "application/json");
  const req = new NextRequest(`http://127.0.0.1:3999${opts.path ?? "/api/v1/test"}`, { method, headers, body: opts.body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as JsonBody) : null };
}

/**
 * A browser session cookie for `userId`, minted exactly as next-auth would; with
 * `sessionVersion` as a sign-in now mints it (without: as before session versions).
 */
export async function sessionCookie(userId: string, workspaceId?: string, sessionVersion?: number) {
  const token = await encode({ token: { sub: userId, ...(sessionVersion === undefined ? {} : { sessionVersion }) }, secret: process.env.NEXTAUTH_SECRET! });
  return `next-auth.session-token=${token}${workspaceId ? `; agora-workspace=${workspaceId}` : ""}`;
}
