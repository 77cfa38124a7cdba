import { randomBytes, randomUUID } from "node:crypto";
import { verifyEmail } from "@/lib/accounts/email-verification";
import { signUp } from "@/lib/accounts/sign-up";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { balanceOf, SYSTEM_ACCOUNTS, transfer, walletFor } from "@/lib/ledger/ledger";
import { OFFLINE_MODEL } from "@/lib/llm/model-prices";
import { encryptSecret } from "@/lib/remote/secrets";
import { waitForMail } from "./mailbox";

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

/** A Standard Webhooks signing secret, as a provider's is made (lib/remote/secrets.ts). */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/**
 * A provider (a new workspace, its owner signed in as `owner`), `secret` stored as its
 * signing secret, and a PUBLISHED REMOTE version of a new package served at
 * `endpointUrl` whose A2A card snapshot is `agentCard` (as validation takes it). Its
 * output schema wants `{ summary: string, pages: integer }`; it declares the billable
 * event `page_crawled` (priceMicros each, at most maxPerRun a run).
 */
export async function createRemotePackage(opts: { endpointUrl: string; agentCard: object; secret: string; baseFeeMicros?: number; priceMicros?: number; maxPerRun?: number; timeoutSeconds?: number }) {
  const db = getDb();
  const { workspace, principal } = await createUser("provider", { tier: "enterprise" });
  const tag = randomUUID().slice(0, 8);
  const provider = await db.provider.create({ data: { workspaceId: workspace.id, slug: `remote-${tag}`, name: `Remote ${tag}` } });
  await db.providerSecret.create({ data: { providerId: provider.id, ciphertext: encryptSecret(opts.secret), last4: opts.secret.slice(-4) } });
  const inputSchema = { type: "object", properties: { url: { type: "string" } }, required: ["url"], additionalProperties: false };
  const outputSchema = { type: "object", properties: { summary: { type: "string" }, pages: { type: "integer" } }, required: ["summary", "pages"] };
  const baseFeeMicros = opts.baseFeeMicros ?? 20_000;
  const remote = {
    endpointUrl: opts.endpointUrl,
    skillId: "summarize",
    timeoutSeconds: opts.timeoutSeconds ?? 60,
    billableEvents: [{ name: "page_crawled", description: "One web page fetched", priceMicros: opts.priceMicros ?? 2_000, maxPerRun: opts.maxPerRun ?? 50 }],
  };
  const slug = `remote-agent-${tag}`;
  const manifest = { kind: "remote", slug, version: "1.0.0", name: `Remote agent ${tag}`, summary: "Summarizes a web site remotely", description: "", category: "research", capabilities: ["summarize"], inputSchema, outputSchema, exampleInput: { url: "https://example.com" }, baseFeeMicros, remote };
  const pkg = await db.agentPackage.create({
    data: {
      slug,
      version: "1.0.0",
      name: manifest.name,
      summary: manifest.summary,
      description: "",
      category: manifest.category,
      capabilities: manifest.capabilities,
      status: "PUBLISHED",
      kind: "REMOTE",
      providerId: provider.id,
      ownerWorkspaceId: workspace.id,
      manifest,
      agentCard: opts.agentCard,
      validatedAt: new Date(),
      publishedAt: new Date(),
      model: OFFLINE_MODEL,
      maxOutputTokens: 0,
      baseFeeMicros: BigInt(baseFeeMicros),
      inputSchema,
      outputSchema,
      exampleInput: manifest.exampleInput,
    },
  });
  return { provider, pkg, owner: principal, workspace };
}
