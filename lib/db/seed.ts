import type { Db } from "./client";
import { builtInPackages } from "@/lib/agents/registry";
import { syncPackages } from "@/lib/agents/sync-packages";
import { defaultModelPrices } from "@/lib/llm/model-prices";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createDocument } from "@/lib/knowledge/documents";
import { demoDocuments } from "@/lib/knowledge/demo-documents";
import { extractFromPaste } from "@/lib/knowledge/extract-text";
import { createRule, createRuleSchema, demoRules } from "@/lib/routing/routing-rules";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";
import { grantStartingCredit } from "@/lib/workspaces/grant-starting-credit";

// Idempotent: running it again changes nothing. Rows admins may have edited
// (tiers) are only ever created, never overwritten.

const M = 1_000_000n; // micro-USD per USD

export const defaultTiers = [
  { code: "free", name: "Free", monthlyPriceMicros: 0n, includedCreditsMicros: 1n * M, requestsPerMinute: 10, runsPerHour: 10, concurrentRuns: 1, tokensPerDay: 200_000n, priceMultiplierBps: 15_000, sortOrder: 0 },
  { code: "basic", name: "Basic", monthlyPriceMicros: 29n * M, includedCreditsMicros: 30n * M, requestsPerMinute: 100, runsPerHour: 100, concurrentRuns: 3, tokensPerDay: 2_000_000n, priceMultiplierBps: 13_000, sortOrder: 1 },
  { code: "pro", name: "Pro", monthlyPriceMicros: 199n * M, includedCreditsMicros: 220n * M, requestsPerMinute: 1_000, runsPerHour: 1_000, concurrentRuns: 10, tokensPerDay: 20_000_000n, priceMultiplierBps: 12_000, sortOrder: 2 },
  { code: "enterprise", name: "Enterprise", monthlyPriceMicros: null, includedCreditsMicros: null, requestsPerMinute: 10_000, runsPerHour: 10_000, concurrentRuns: 50, tokensPerDay: 200_000_000n, priceMultiplierBps: 11_000, sortOrder: 3 },
];

export const DEMO_EMAIL = "demo@agora.dev";
export const ADMIN_EMAIL = "admin@agora.dev";

type SeedOptions = {
  demo: boolean;
  demoPassword: string;
  adminPassword: string;
  stripePrices?: Partial<Record<"basic" | "pro", string>>;
  /** The first platform admin of a real deployment (AGORA_ADMIN_EMAIL): created once, then theirs. */
  bootstrapAdmin?: { email: string; password: string };
};

type SeedUser = { email: string; name: string; password: string; isAdmin: boolean; workspace?: { name: string; slug: string; tierCode: string; creditsMicros: bigint } };

async function ensureUser(db: Db, input: SeedUser) {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } });
  if (existing) {
    // The password comes from the environment and may have been changed there.
    if (!(await verifyPassword(existing.passwordHash, input.password))) {
      await db.user.update({ where: { id: existing.id }, data: { passwordHash: await hashPassword(input.password) } });
    }
    return existing.id;
  }
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Seeded accounts have known addresses: verified, so their workspace starts with its credit.
    const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, isAdmin: input.isAdmin, emailVerified: new Date() } });
    const workspace = await createPersonalWorkspace(tx, {
      userId: user.id,
      name: input.name,
      workspaceName: input.workspace?.name,
      slug: input.workspace?.slug,
      tierCode: input.workspace?.tierCode,
    });
    await grantStartingCredit(tx, workspace.id, input.workspace?.creditsMicros);
    return user.id;
  });
}

export async function seed(db: Db, options: SeedOptions): Promise<void> {
  await db.tier.createMany({ data: defaultTiers, skipDuplicates: true });
  // Stripe price ids from the environment (npm run stripe:setup prints them) fill a tier's empty one; an admin's edit stays.
  for (const [code, price] of Object.entries(options.stripePrices ?? {})) {
    if (price) await db.tier.updateMany({ where: { code, stripePriceId: null }, data: { stripePriceId: price } });
  }
  await db.modelPrice.createMany({ data: defaultModelPrices, skipDuplicates: true });
  await syncPackages(db, builtInPackages);
  const admin = options.bootstrapAdmin;
  if (admin && !(await db.user.findUnique({ where: { email: admin.email.toLowerCase() }, select: { id: true } }))) {
    await ensureUser(db, { email: admin.email.toLowerCase(), name: "Admin", password: admin.password, isAdmin: true });
  }
  if (!options.demo) return;

  const demoUserId = await ensureUser(db, {
    email: DEMO_EMAIL,
    name: "Demo User",
    password: options.demoPassword,
    isAdmin: false,
    workspace: { name: "Demo", slug: "demo", tierCode: "basic", creditsMicros: 25n * M }, // SPEC §12: $25 of credits
  });
  await seedDemoWorkspace(db, demoUserId);
  await ensureUser(db, { email: ADMIN_EMAIL, name: "Agora Admin", password: options.adminPassword, isAdmin: true });
}

/** The demo workspace's knowledge base and routing rules, written once (a customer may delete or edit them). */
async function seedDemoWorkspace(db: Db, userId: string) {
  const workspace = await db.workspace.findUnique({ where: { slug: "demo" }, select: { id: true, _count: { select: { documents: true, routingRules: true } } } });
  if (!workspace) return;
  if (!workspace._count.documents) {
    for (const doc of demoDocuments) {
      await createDocument(db, { workspaceId: workspace.id, userId }, { extracted: extractFromPaste(doc.text), source: doc.source, sizeBytes: Buffer.byteLength(doc.text) });
    }
  }
  if (!workspace._count.routingRules) {
    for (const rule of demoRules) await createRule(workspace.id, createRuleSchema.parse(rule), db);
  }
}
