import { randomUUID } from "node:crypto";
import { verifyEmail } from "@/lib/accounts/email-verification";
import { signUp } from "@/lib/accounts/sign-up";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { balanceOf, SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { manifestSchema } from "@/lib/packages/manifest";
import { saveWorkspaceProvider } from "@/lib/providers/providers";
import { waitForMail } from "./mailbox";
import { insertRemotePackage, type RemotePackageOptions } from "./remote-package";

/** The base URL of links the app mails in these tests (nothing listens there: tests take the token from the link). */
export const TEST_APP_URL = "http://127.0.0.1:3999";

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@test.agora.dev`;

/** The token in a mailed link (`…/verify-email?token=…`). */
export const tokenFromLink = (link: string | null) => new URL(link ?? "missing:").searchParams.get("token") ?? "";

/**
 * A real user with a personal workspace, created through the sign-up path (on
 * the Free tier) and verified through the link it was mailed, so the workspace
 * has its starting $1 (`{ verified: false }`: left unverified, $0). Tests
 * exercising something other than limits put it on a roomier tier
 * (`{ tier: "enterprise" }`), as a paying customer would be.
 */
export async function createUser(label = "user", opts: { tier?: "free" | "basic" | "pro" | "enterprise"; verified?: boolean } = {}) {
  const email = uniqueEmail(label);
  const password = "correct horse battery";
  const { user, workspace } = await signUp({ email, password, name: label }, { ip: null, baseUrl: TEST_APP_URL });
  if (opts.verified !== false) await verifyEmail(tokenFromLink((await waitForMail(email, /Verify your e-mail/)).link), null);
  if (opts.tier) await getDb().workspace.update({ where: { id: workspace.id }, data: { tierCode: opts.tier } });
  const principal = (await principalFromUser(user.id)) as Extract<Principal, { kind: "user" }>;
  return { user, workspace, principal, email, password };
}

/** Sets a workspace's wallet to exactly `micros` available (through the ledger: a correction, then a grant). */
export async function setWallet(workspaceId: string, micros: bigint): Promise<string> {
  const db = getDb();
  return db.$transaction(async (tx) => {
    const wallet = await walletFor(tx, workspaceId);
    const { availableMicros } = await balanceOf(tx, wallet);
    if (availableMicros > 0n) await transfer(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.promotions, amount: availableMicros, reason: "correction", idempotencyKey: randomUUID(), workspaceId });
    if (micros > 0n) await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: micros, reason: "admin_grant", idempotencyKey: randomUUID(), workspaceId });
    return wallet;
  });
}

/**
 * Makes a user a member of a workspace directly, for tests about what members may
 * do (people join through invitations in the product), and returns them acting in it.
 */
export async function joinWorkspace(userId: string, workspaceId: string, role: "OWNER" | "MEMBER" = "MEMBER") {
  await getDb().membership.create({ data: { userId, workspaceId, role } });
  return (await principalFromUser(userId, workspaceId)) as Extract<Principal, { kind: "user" }>;
}

/**
 * A PUBLISHED hosted package version of `providerWorkspace`'s provider (made for it when it has none), as the
 * publishing flow leaves one: the manifest as written, its columns copied from it. `manifest` is checked with
 * the manifest schema, so a test's typo fails here.
 */
export async function createHostedPackage({ providerWorkspace, manifest }: { providerWorkspace: Principal; manifest: unknown }) {
  const db = getDb();
  const workspaceId = providerWorkspace.workspace.id;
  const existing = await db.provider.findUnique({ where: { workspaceId }, select: { id: true } });
  const providerId = existing?.id ?? (await saveWorkspaceProvider(providerWorkspace, { name: "Test Provider", slug: `prov-${randomUUID().slice(0, 8)}`, supportEmail: "support@test.agora.dev" }, null)).id;
  const m = manifestSchema.parse(manifest);
  return db.agentPackage.create({
    data: {
      slug: m.slug,
      version: m.version,
      name: m.name,
      summary: m.summary,
      description: m.description,
      category: m.category,
      capabilities: m.capabilities,
      status: "PUBLISHED",
      kind: "HOSTED",
      providerId,
      ownerWorkspaceId: workspaceId,
      manifest: manifest as object,
      model: m.hosted!.model,
      maxOutputTokens: m.hosted!.maxOutputTokens,
      baseFeeMicros: BigInt(m.baseFeeMicros),
      inputSchema: m.inputSchema as object,
      outputSchema: m.outputSchema as object,
      exampleInput: m.exampleInput as object,
      publishedAt: new Date(),
    },
  });
}

export { newSigningSecret } from "./remote-package";

/** insertRemotePackage for a new provider workspace, its owner signed in as `owner`. */
export async function createRemotePackage(opts: RemotePackageOptions) {
  const { workspace, principal } = await createUser("provider", { tier: "enterprise" });
  return { ...(await insertRemotePackage(workspace.id, opts)), owner: principal, workspace };
}
