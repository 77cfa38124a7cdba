import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { METHODS, type Method } from "@/lib/openapi/document";
import { apiRoutes } from "@/lib/openapi/routes";

// A real HTTP server (127.0.0.1, a port from the OS) in the test process that serves /api/v1 with the
// route handlers, found through the API description's module list (lib/openapi/routes.ts): a client
// talks HTTP to it as to `next start` — the handlers, database and run worker are the real ones.

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const compiled = apiRoutes
  .map(({ path, module }) => ({
    pattern: new RegExp("^" + path.replace(/\./g, "\\.").replace(/\{(\w+)\}/g, "(?<$1>[^/]+)") + "$"),
    dynamic: (path.match(/\{/g) ?? []).length,
    module,
  }))
  // Static segments first, as Next routes them (/runs/quote before /runs/{id}).
  .sort((a, b) => a.dynamic - b.dynamic);

async function dispatch(req: IncomingMessage, origin: string): Promise<Response> {
  const url = new URL(req.url ?? "/", origin);
  const method = (req.method ?? "GET") as Method;
  for (const { pattern, module } of compiled) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const handler = METHODS.includes(method) ? (module[method] as Handler | undefined) : undefined;
    if (!handler) return new Response(null, { status: 405 });
    const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const hasBody = method !== "GET" && method !== "DELETE";
    const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined;
    const request = new NextRequest(url, { method, headers, body, ...(body ? { duplex: "half" } : {}) } as ConstructorParameters<typeof NextRequest>[1]);
    return handler(request, { params: Promise.resolve(params) });
  }
  return Response.json({ error: { code: "not_found", message: `No API route ${method} ${url.pathname}.` } }, { status: 404 });
}

/** Starts the server; `close()` ends it (and any stream still open). */
export async function startApiServer(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const response = await dispatch(req, baseUrl);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return void res.end();
      const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
      res.on("close", () => body.destroy());
      body.pipe(res);
    })().catch((err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
