import type { NextRequest } from "next/server";
import { withCsp } from "@/lib/http/csp";

export function proxy(req: NextRequest) {
  return withCsp(req);
}

// Pages only: API responses get a fixed `default-src 'none'` policy from next.config.ts,
// and static files and prefetches carry no scripts to vouch for.
export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
