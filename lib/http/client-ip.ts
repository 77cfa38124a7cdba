import { env } from "@/lib/env";

/**
 * The caller's IP. Next's server appends the socket address to X-Forwarded-For,
 * so the last hop is the peer we can vouch for; behind a trusted reverse proxy
 * (AGORA_TRUST_PROXY=1) the first hop is the client the proxy saw.
 */
export function clientIp(headers: Headers): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (!hops.length) return headers.get("x-real-ip");
  return env().AGORA_TRUST_PROXY ? hops[0]! : hops[hops.length - 1]!;
}
