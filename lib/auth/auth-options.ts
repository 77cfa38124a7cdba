import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { db } from "@/lib/db/client";
import { env, githubEnabled, type Env } from "@/lib/env";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";
import { grantStartingCredit } from "@/lib/workspaces/grant-starting-credit";
import { clientIp } from "@/lib/http/client-ip";
import { endAllSessions } from "./end-sessions";
import { sessionVersionOf } from "./principal";
import { safeCallbackUrl } from "./safe-callback-url";
import { signInWithPassword } from "./sign-in";

// next-auth hands `authorize` the request headers as a plain object.
function headerIp(headers: Record<string, unknown> | undefined): string | null {
  const h = new Headers();
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === "string") h.set(k, v);
  return clientIp(h);
}

let cached: NextAuthOptions | undefined;

/** next-auth configuration for the process environment (built once). */
export function authOptions(): NextAuthOptions {
  cached ??= buildAuthOptions(env());
  return cached;
}

/** Email + password always, GitHub only when configured. JWT sessions. */
export function buildAuthOptions(e: Env): NextAuthOptions {
  const adapter = PrismaAdapter(db) as unknown as Adapter;
  return {
    adapter,
    secret: e.NEXTAUTH_SECRET ?? "agora-development-only-secret-not-for-production",
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: async (credentials, req) => {
          if (!credentials?.email || !credentials.password) return null;
          return signInWithPassword({
            email: credentials.email,
            password: credentials.password,
            ip: headerIp(req?.headers as Record<string, unknown> | undefined),
          });
        },
      }),
      ...(githubEnabled(e)
        ? [
            GitHubProvider({
              clientId: e.GITHUB_ID!,
              clientSecret: e.GITHUB_SECRET!,
              // Emails are stored lower-cased (a CHECK constraint insists).
              profile: (p) => ({ id: String(p.id), name: p.name ?? p.login, email: p.email?.toLowerCase() ?? null, image: p.avatar_url }),
            }),
          ]
        : []),
    ],
    callbacks: {
      // After sign-in and sign-out: only a path on this site (lib/auth/safe-callback-url.ts), never another host.
      redirect: ({ url, baseUrl }) => new URL(safeCallbackUrl(url, "/workspace", baseUrl), baseUrl).href,
      // The session version read with the user at sign-in (password check or the adapter's row):
      // every request compares it with the current one (lib/auth/principal.ts).
      jwt: ({ token, user }) => {
        if (user) {
          token.sub = user.id;
          token.sessionVersion = sessionVersionOf(user);
        }
        return token;
      },
      session: ({ session, token }) => {
        if (session.user && token.sub) Object.assign(session.user, { id: token.sub, sessionVersion: sessionVersionOf(token) });
        return session;
      },
    },
    events: {
      // Signing out ends the user's sessions everywhere: a JWT cannot be revoked alone, and
      // one version per user is what every request already checks (README "Sessions").
      signOut: async ({ token }) => {
        if (token?.sub) await endAllSessions(db, token.sub, sessionVersionOf(token));
      },
      // OAuth sign-ups go through the adapter; they get their workspace here. GitHub
      // verified the e-mail, so the account counts as verified and gets its starting credit.
      createUser: async ({ user }) => {
        await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
          const workspace = await createPersonalWorkspace(tx, { userId: user.id, name: user.name ?? user.email ?? "My" });
          await grantStartingCredit(tx, workspace.id);
        });
      },
    },
  };
}
