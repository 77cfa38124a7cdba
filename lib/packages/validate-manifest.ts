import type { z } from "zod";
import { builtInPackages } from "@/lib/agents/registry";
import type { DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ApiError, zodIssues, type FieldIssue } from "@/lib/http/errors";
import { formatUsd } from "@/lib/money/format";
import { compileJsonSchema, JsonSchemaProblem } from "./json-schema";
import type { Manifest } from "./manifest";
import { compareSemver } from "./semver";

// The publishing pipeline's checks of a manifest (issue 19 item 4) past its
// shape (manifestSchema, the routes' body schema: a 400 naming each JSON path):
// the schemas compile, the
// example input validates, the model is priced, run_agent targets are
// published, fees are within the platform's maximum (400s naming paths) — and
// the slug and version are free (409s). Run on every save of a draft and again
// when the version is validated (a target may have been yanked meanwhile).

const CATEGORY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A provider's JSON Schema compiled, or an issue at its path under `root` (`inputSchema.properties.x.pattern`). */
function compile(schema: unknown, root: string, issues: FieldIssue[]): z.ZodType | null {
  try {
    return compileJsonSchema(schema);
  } catch (err) {
    if (!(err instanceof JsonSchemaProblem)) throw err;
    issues.push({ path: [root, ...err.path].join("."), message: `${root === "inputSchema" ? "Input" : "Output"} schema: ${err.message}.` });
    return null;
  }
}

function checkSchemas(m: Manifest, issues: FieldIssue[]) {
  const input = compile(m.inputSchema, "inputSchema", issues);
  compile(m.outputSchema, "outputSchema", issues);
  if (m.exampleInput === undefined) issues.push({ path: "exampleInput", message: "Example input: add an example input, shown on the package page and used to check the input schema." });
  else if (input) {
    const parsed = input.safeParse(m.exampleInput);
    if (!parsed.success) issues.push(...zodIssues(parsed.error, "exampleInput"));
  }
}

function checkFees(m: Manifest, issues: FieldIssue[]) {
  const max = env().AGORA_MAX_BASE_FEE_MICROS;
  const tooHigh = `is above the platform's maximum of ${formatUsd(max)}`;
  if (m.baseFeeMicros > max) issues.push({ path: "baseFeeMicros", message: `Base fee: ${formatUsd(m.baseFeeMicros)} ${tooHigh}.` });
  m.remote?.billableEvents.forEach((e, i) => {
    if (e.priceMicros > max) issues.push({ path: `remote.billableEvents.${i}.priceMicros`, message: `Billable event '${e.name}': its price ${tooHigh}.` });
  });
}

async function checkHosted(tx: DbTx, m: Manifest, providerId: string, issues: FieldIssue[]) {
  const hosted = m.hosted;
  if (!hosted) return;
  const models = (await tx.modelPrice.findMany({ select: { model: true }, orderBy: { model: "asc" } })).map((r) => r.model);
  if (!models.includes(hosted.model)) issues.push({ path: "hosted.model", message: `Model: '${hosted.model}' is not one of the platform's models (${models.join(", ")}).` });
  const targets = hosted.tools.flatMap((t, i) => (t.tool === "run_agent" ? [{ slug: t.agent, i }] : []));
  const publishedRows = await tx.agentPackage.findMany({ where: { slug: { in: targets.flatMap((t) => t.slug ?? []) }, status: "PUBLISHED" }, select: { slug: true, kind: true, providerId: true } });
  const published = new Set(publishedRows.map((r) => r.slug));
  // A hosted package's child runs stay on Agora and are another provider's: a remote target would send the
  // caller's input and documents to a provider's endpoint, and the provider's own package would be paid
  // even when the calling package fails by its fault.
  const remote = new Set(publishedRows.filter((r) => r.kind === "REMOTE").map((r) => r.slug));
  const own = new Set(publishedRows.filter((r) => r.providerId === providerId).map((r) => r.slug));
  hosted.tools.forEach((t, i) => {
    if (t.tool !== "run_agent" && t.agent) issues.push({ path: `hosted.tools.${i}.agent`, message: "Tools: only run_agent names an agent." });
  });
  for (const { slug, i } of targets) {
    if (!slug) issues.push({ path: `hosted.tools.${i}.agent`, message: "Tools: run_agent needs the slug of the one package it may call." });
    else if (slug === m.slug || !published.has(slug)) issues.push({ path: `hosted.tools.${i}.agent`, message: `Tools: run_agent's target '${slug}' is not a published package.` });
    else if (remote.has(slug)) issues.push({ path: `hosted.tools.${i}.agent`, message: `Tools: run_agent's target '${slug}' is a remote package; a hosted package may only call packages that run on Agora.` });
    else if (own.has(slug)) issues.push({ path: `hosted.tools.${i}.agent`, message: `Tools: run_agent's target '${slug}' is your own package; a hosted package may only call other providers' packages.` });
  }
  const declared = new Set(hosted.tools.map((t) => t.tool));
  hosted.offline?.calls.forEach((c, i) => {
    if (!declared.has(c.tool)) issues.push({ path: `hosted.offline.calls.${i}.tool`, message: `Offline plan: '${c.tool}' is not one of the package's tools.` });
  });
}

/**
 * The checks beyond the manifest's shape: 400 validation_failed naming every
 * path at fault, then 409 conflict when the slug belongs to someone else or
 * the version is not newer than the package's others (`selfId`: the version
 * being edited, which does not count). Call inside the transaction that writes,
 * after lockPackageSlug.
 */
export async function checkManifest(tx: DbTx, m: Manifest, providerId: string, selfId?: string): Promise<void> {
  const issues: FieldIssue[] = [];
  if (!CATEGORY.test(m.category)) issues.push({ path: "category", message: "Category: use lowercase letters, digits and single hyphens (e.g. data, devops, customer-support)." });
  checkSchemas(m, issues);
  checkFees(m, issues);
  await checkHosted(tx, m, providerId, issues);
  if (issues.length) throw new ApiError("validation_failed", [...new Set(issues.map((i) => i.message))].slice(0, 3).join(" "), { issues });

  const slugTaken = (why: string) => new ApiError("conflict", `Slug: ${why}; choose another slug.`, { issues: [{ path: "slug", message: "Already taken." }] });
  if (builtInPackages.some((p) => p.slug === m.slug)) throw slugTaken(`'${m.slug}' is one of Agora's built-in packages`);
  const versions = await tx.agentPackage.findMany({ where: { slug: m.slug, id: selfId ? { not: selfId } : undefined }, select: { version: true, providerId: true, status: true, baseFeeMicros: true } });
  if (versions.some((v) => v.providerId !== providerId)) throw slugTaken(`another provider publishes '${m.slug}'`);
  // A new version may not raise the price: increases go through a price change, with its notice.
  const current = versions.find((v) => v.status === "PUBLISHED")?.baseFeeMicros;
  if (current !== undefined && BigInt(m.baseFeeMicros) > current) {
    const message = `Base fee: ${formatUsd(m.baseFeeMicros)} is above the package's current price of ${formatUsd(Number(current))}; raise it with a price change (${env().AGORA_PRICE_NOTICE_DAYS} days' notice), not with a new version.`;
    throw new ApiError("validation_failed", message, { issues: [{ path: "baseFeeMicros", message }] });
  }
  const newest = versions.map((v) => v.version).sort(compareSemver).at(-1);
  if (newest && compareSemver(m.version, newest) <= 0) {
    throw new ApiError("conflict", `Version: ${m.slug} already has version ${newest}; a new version must be higher (semver).`, { issues: [{ path: "version", message: `Must be higher than ${newest}.` }] });
  }
}

/** Serializes writes of one slug's versions (two providers claiming it, two versions at once). */
export const lockPackageSlug = (tx: DbTx, slug: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`agora:package:${slug}`}))`;
