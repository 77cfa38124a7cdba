import { env } from "@/lib/env";

/**
 * The app's public base URL, for links that leave and come back (Stripe
 * Checkout, the portal): NEXTAUTH_URL when set, else the Host the browser used.
 */
export function appUrl(req: { headers: Pick<Headers, "get"> }): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || "localhost:3000";
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}
