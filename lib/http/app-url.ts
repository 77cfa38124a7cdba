import { env } from "@/lib/env";
import { fromTrustedProxy, PEER_PROTO_HEADER } from "./client-ip";

const first = (headers: Pick<Headers, "get">, name: string) => headers.get(name)?.split(",")[0]?.trim() || undefined;

/**
 * The origin browsers use for this app: NEXTAUTH_URL's when set; else the
 * request's own scheme and Host. X-Forwarded-Host/-Proto count only from a
 * trusted proxy (AGORA_TRUSTED_PROXIES): anyone else could name any host.
 */
export function publicOrigin(headers: Pick<Headers, "get">): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const proxied = fromTrustedProxy(headers);
  const host = (proxied && first(headers, "x-forwarded-host")) || headers.get("host") || "localhost:3000";
  const proto = (proxied && first(headers, "x-forwarded-proto")) || headers.get(PEER_PROTO_HEADER) || "http";
  return new URL(`${proto}://${host}`).origin;
}

/**
 * The app's public base URL, for links that leave and come back (Stripe
 * Checkout, the portal): NEXTAUTH_URL when set, else publicOrigin().
 */
export function appUrl(req: { headers: Pick<Headers, "get"> }): string {
  const configured = env().NEXTAUTH_URL;
  return configured ? configured.replace(/\/$/, "") : publicOrigin(req.headers);
}
