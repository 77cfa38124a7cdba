import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { PEER_HEADER, PEER_PROTO_HEADER } from "./client-ip";

const installed = Symbol.for("agora.peer-address");

/** Writes the socket's address and scheme into the request's headers, replacing whatever the client sent. */
export function recordPeer(req: IncomingMessage) {
  const address = req.socket.remoteAddress;
  if (address) req.headers[PEER_HEADER] = address;
  else delete req.headers[PEER_HEADER];
  req.headers[PEER_PROTO_HEADER] = (req.socket as TLSSocket).encrypted ? "https" : "http";
}

/**
 * Makes every HTTP(S) server of this process record each request's peer
 * (lib/http/client-ip.ts) before its handler — Next's included — sees it.
 * Next gives route handlers and server actions the request's headers and not
 * its socket; instrumentation.ts calls this before the server serves anything.
 */
export function installPeerAddress() {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as http.Server & { [installed]?: true };
    if (proto[installed]) continue;
    const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") recordPeer(args[0] as IncomingMessage);
      return emit.call(this, event, ...args);
    };
    proto[installed] = true;
  }
}
