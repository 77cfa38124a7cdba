import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";

/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce
 * ('strict-dynamic' lets those scripts load Next's chunks), never inline without it.
 * Styles keep 'unsafe-inline': React's `style` props and the chart library write
 * inline styles, and a nonce in style-src would switch 'unsafe-inline' off.
 * Development adds 'unsafe-eval', which React uses there to rebuild server stacks.
 */
export function buildCsp(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https://avatars.githubusercontent.com",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https://github.com",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Lets the request through with a fresh nonce: Next reads it from the request's
 * CSP header and puts it on its own scripts; a server component writing an inline
 * script reads it from `x-nonce` (`(await headers()).get("x-nonce")`).
 * Pages must render per request for this (the root layout is force-dynamic).
 */
export function withCsp(req: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = buildCsp(nonce, { dev: env().NODE_ENV === "development" });
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}
