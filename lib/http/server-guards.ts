import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { PEER_HEADER, PEER_PROTO_HEADER } from "./client-ip";
import { ApiError, errorBody } from "./errors";

// What every request meets before Next does, at the HTTP server of this process:
// the socket's address is recorded for lib/http/client-ip.ts (Next gives route
// handlers and server actions a request's headers, never its socket), and TRACE
// is refused. That cannot be a middleware's job: the Fetch API forbids TRACE
// (`new Request(url, { method: "TRACE" })` throws), so Next fails building the
// request — a 500, with a stack page in development — before any middleware or
// route runs. (TRACK never gets this far: Node's HTTP parser answers it 400.)

const installed = Symbol.for("agora.server-guards");

/** Writes the socket's address and scheme into the request's headers, replacing whatever the client sent. */
export function recordPeer(req: IncomingMessage) {
  const address = req.socket.remoteAddress;
  if (address) req.headers[PEER_HEADER] = address;
  else delete req.headers[PEER_HEADER];
  req.headers[PEER_PROTO_HEADER] = (req.socket as TLSSocket).encrypted ? "https" : "http";
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, err: ApiError, headers: Record<string, string> = {}): true {
  const body = JSON.stringify(errorBody(err));
  req.resume(); // whatever body it carries is discarded
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
  return true;
}

/** Answers TRACE with a 405 in the API's error shape; true when it did. */
export function refuseMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "TRACE") return false;
  return refuse(req, res, 405, new ApiError("method_not_allowed", "TRACE is not supported here."), { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" });
}

/**
 * A worker process (AGORA_ROLE=worker, e.g. a Docker worker container running the
 * standalone server) executes runs and jobs; over HTTP it answers health probes
 * only, and everything else with a 503 that says where to go instead.
 */
export function refuseOnWorker(req: IncomingMessage, res: ServerResponse, role: string | undefined): boolean {
  if (role !== "worker" || (req.url ?? "").startsWith("/api/health")) return false;
  return refuse(req, res, 503, new ApiError("service_unavailable", "This process is a worker: it executes runs and answers health checks only. Send requests to a web instance."), { "retry-after": "2" });
}

/**
 * Puts the guards above in front of every HTTP(S) server of this process, Next's
 * included: instrumentation.ts calls it before the server serves anything.
 */
export function installServerGuards() {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as http.Server & { [installed]?: true };
    if (proto[installed]) continue;
    const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const [req, res] = args as [IncomingMessage, ServerResponse];
        if (refuseMethod(req, res) || refuseOnWorker(req, res, process.env.AGORA_ROLE)) return true;
        recordPeer(req);
      }
      return emit.call(this, event, ...args);
    };
    proto[installed] = true;
  }
}
