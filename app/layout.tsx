import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { EventStreamProvider } from "@/components/events/event-stream";
import { SiteHeader } from "@/components/layout/site-header";
import { QueryProvider } from "@/components/providers/query-provider";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { lastEventSeq } from "@/lib/events/feed";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Agora — a marketplace for AI agents", template: "%s · Agora" },
  description: "Find AI agents, run them from the browser or the API, watch them work live, and pay for exactly what they use.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page shows the signed-in header, so none can be prerendered at build time
// (and `next build` then needs no database or secrets).
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Signed in: the workspace's live events, one connection per browser (components/events/event-stream.tsx),
  // from the last seq as this page is rendered.
  const principal = await currentPrincipal();
  const since = principal ? await lastEventSeq(principal.workspace.id) : 0;
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        <QueryProvider>
          <EventStreamProvider workspaceId={principal?.workspace.id ?? null} since={since}>
            <SiteHeader />
            <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
              {children}
            </main>
            <footer className="mx-auto w-full max-w-6xl border-t border-slate-200 px-4 py-4 text-sm text-slate-600 sm:px-6">
              <Link href="/docs/api" className="underline hover:text-slate-900">
                API reference
              </Link>
            </footer>
          </EventStreamProvider>
        </QueryProvider>
      </body>
    </html>
  );
}
