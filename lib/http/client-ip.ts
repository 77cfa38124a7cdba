import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

// Who sent a request. Next's server does not tell a route handler the socket
// address: it sets X-Forwarded-For to it only when the client sent none
// (`??=` in next/dist/server/base-server.js), so a client's own X-Forwarded-For
// reaches the app unchanged. The server records the socket peer in PEER_HEADER
// instead (lib/http/server-guards.ts, installed by instrumentation.ts), always
// overwriting what a client sent; forwarding headers count only when that peer
// is one of AGORA_TRUSTED_PROXIES.

/** The TCP peer's address, set by the server on every request (a client's own value is overwritten). */
export const PEER_HEADER = "x-agora-peer";
/** "https" when the peer's connection is TLS, else "http" (set with PEER_HEADER). */
export const PEER_PROTO_HEADER = "x-agora-peer-proto";

/** `::ffff:10.0.0.1` (an IPv4 client of a dual-stack socket) → `10.0.0.1`; anything not an IP → null. */
function normalise(address: string | null | undefined): string | null {
  const a = address?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return a && isIP(a) ? a : null;
}

let trusted: { spec: readonly string[]; list: BlockList } | undefined;
function trustedProxies(): BlockList {
  const spec = env().AGORA_TRUSTED_PROXIES;
  if (trusted?.spec !== spec) {
    const list = new BlockList();
    for (const entry of spec) {
      const [address, prefix] = entry.split("/") as [string, string | undefined];
      const type = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
    trusted = { spec, list };
  }
  return trusted.list;
}

const isTrusted = (ip: string) => trustedProxies().check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");

/** The request's immediate peer, when it is a configured trusted proxy (whose forwarding headers count). */
export function fromTrustedProxy(headers: Pick<Headers, "get">): boolean {
  const peer = normalise(headers.get(PEER_HEADER));
  return peer !== null && isTrusted(peer);
}

/**
 * The caller's IP: the socket peer; when that peer is a trusted proxy, the
 * X-Forwarded-For chain is walked right to left past trusted proxies to the
 * first address that is not one. null when the server recorded no peer.
 */
export function clientIp(headers: Pick<Headers, "get">): string | null {
  let ip = normalise(headers.get(PEER_HEADER));
  if (ip === null || !isTrusted(ip)) return ip;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").reverse();
  for (const hop of hops) {
    const address = normalise(hop);
    if (address === null) break; // not an address: the last one we could read is as far as we can vouch
    ip = address;
    if (!isTrusted(address)) break;
  }
  return ip;
}
