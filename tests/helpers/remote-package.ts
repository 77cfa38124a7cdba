import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { OFFLINE_MODEL } from "@/lib/llm/model-prices";
import { encryptSecret } from "@/lib/remote/secrets";

// A published REMOTE package version written directly (publishing is its own
// pipeline), for the tests (tests/helpers/factories.ts createRemotePackage) and
// bench/remote-package.ts. No Vitest here: the benchmark imports it.

export type RemotePackageOptions = { endpointUrl: string; agentCard: object; secret: string; baseFeeMicros?: number; priceMicros?: number; maxPerRun?: number; timeoutSeconds?: number };

/** A Standard Webhooks signing secret, as a provider's is made (lib/remote/secrets.ts). */
export { newSigningSecret } from "@/lib/remote/secrets";

/**
 * A provider (of the workspace), `secret` stored as its
 * signing secret, and a PUBLISHED REMOTE version of a new package served at
 * `endpointUrl` whose A2A card snapshot is `agentCard` (as validation takes it). Its
 * output schema wants `{ summary: string, pages: integer }`; it declares the billable
 * event `page_crawled` (priceMicros each, at most maxPerRun a run).
 */
export async function insertRemotePackage(workspaceId: string, opts: RemotePackageOptions) {
  const db = getDb();
  const tag = randomUUID().slice(0, 8);
  const provider = await db.provider.create({ data: { workspaceId, slug: `remote-${tag}`, name: `Remote ${tag}` } });
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
      ownerWorkspaceId: workspaceId,
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
  return { provider, pkg };
}
