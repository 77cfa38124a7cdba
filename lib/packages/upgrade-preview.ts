import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { resolvePackage, runnableVersions } from "@/lib/agents/published-packages";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { ApiError } from "@/lib/http/errors";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { idParam } from "@/lib/http/params";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { microsJson } from "@/lib/money/format";
import { RateLimited } from "@/lib/rate-limits/limits";
import { acceptRun, type RunEngine } from "@/lib/runs/accept-run";
import { insufficientCredits } from "@/lib/runs/money/hold";
import { quoteRun } from "@/lib/runs/money/quote";
import { runSummaryJson, runSummarySelect } from "@/lib/runs/run-queries";
import { idempotencyKeySchema, TERMINAL_STATUSES } from "@/lib/runs/schemas";
import { jsonDiff } from "./json-diff";
import { compareSemver } from "./semver";
import { isVersionRange } from "./version-range";

// Upgrade preview (issue 20 item 3): a workspace on version A of a package tries version B on up
// to five of its own recent inputs — a quote first, then one normal charged run of slug@B per input
// (acceptRun, as the caller), then a side-by-side of status, price, duration and output difference.
// An item refused for the workspace's concurrent-runs limit stays pending and is started by the
// next read of the preview (the comparison page polls it) once a run has finished; any other
// refusal is recorded as the item's error and the others go on.

export const MAX_PREVIEW_INPUTS = 5;
/** How many distinct recent inputs a workspace chooses from, among its newest runs of the version. */
export const MAX_CANDIDATES = 20;
const CANDIDATE_SCAN = 500;
const INPUT_SUMMARY_CHARS = 160;

const exactVersion = z
  .string()
  .trim()
  .min(1, "Name the version.")
  .max(64)
  .refine((v) => isVersionRange(v) && v.split("-")[0]!.split(".").length === 3, "Write an exact version such as 1.2.0.");

export const quoteUpgradePreviewBodySchema = z.object({
  from: exactVersion,
  to: exactVersion,
  runIds: z
    .array(idParam)
    .min(1, "Pick at least one input.")
    .max(MAX_PREVIEW_INPUTS, `Pick at most ${MAX_PREVIEW_INPUTS} inputs.`)
    .refine((ids) => new Set(ids).size === ids.length, "Each input can be picked once."),
});
export type QuoteUpgradePreviewBody = z.output<typeof quoteUpgradePreviewBodySchema>;
export const startUpgradePreviewBodySchema = quoteUpgradePreviewBodySchema.extend({ idempotencyKey: idempotencyKeySchema.optional() });
export type StartUpgradePreviewBody = z.output<typeof startUpgradePreviewBodySchema>;
export const upgradeCandidatesQuerySchema = z.object({ from: exactVersion.optional() });
export const listUpgradePreviewsQuerySchema = paginationQuerySchema;

const COMPARABLE = ["SUCCEEDED", "FAILED"] as const;

/** The versions of `slug` this workspace has run (newest first), and A: its pin's resolution, else its latest run's version. */
export async function defaultFromVersion(principal: Principal, slug: string): Promise<{ from: string | null; ranVersions: string[] }> {
  const ran = await db.run.groupBy({ by: ["packageVersion"], where: { workspaceId: principal.workspace.id, agentSlug: slug, parentRunId: null, status: { in: [...COMPARABLE] } } });
  const ranVersions = ran.map((r) => r.packageVersion).sort((a, b) => compareSemver(b, a));
  const pin = principal.workspace.packagePins[slug];
  const pinned = pin ? await resolvePackage(slug, pin) : null;
  if (pinned) return { from: pinned.version, ranVersions };
  const latest = await db.run.findFirst({ where: { workspaceId: principal.workspace.id, agentSlug: slug, parentRunId: null, status: { in: [...COMPARABLE] } }, orderBy: { createdAt: "desc" }, select: { packageVersion: true } });
  return { from: latest?.packageVersion ?? null, ranVersions };
}

/** Whether the agent page offers "Try another version": the workspace has finished runs of the slug, and another version is published. */
export async function canTryAnotherVersion(principal: Principal, slug: string): Promise<boolean> {
  const [{ from }, versions] = await Promise.all([defaultFromVersion(principal, slug), runnableVersions(slug)]);
  return from !== null && versions.some((v) => v.status === "PUBLISHED" && v.version !== from);
}

type CandidateRow = { id: string; status: string; createdAt: Date; inputSummary: string; priceMicros: bigint };

/**
 * What the upgrade page offers: version A (`from`, or the default), the published versions to try
 * (all but A), and the workspace's newest runs of slug@A that SUCCEEDED or FAILED, one per distinct input.
 */
export async function upgradeCandidates(principal: Principal, slug: string, fromVersion?: string) {
  const [{ from: defaultFrom, ranVersions }, versions] = await Promise.all([defaultFromVersion(principal, slug), runnableVersions(slug)]);
  if (!versions.length) throw new ApiError("not_found", `No published agent '${slug}'.`);
  const from = fromVersion ?? defaultFrom;
  const rows = from
    ? await db.$queryRaw<CandidateRow[]>`
        SELECT id, status::text AS status, "createdAt", left(input::text, ${INPUT_SUMMARY_CHARS + 1}) AS "inputSummary", "priceMicros" FROM (
          SELECT DISTINCT ON (md5(input::text)) id, status, "createdAt", input, "priceMicros" FROM (
            SELECT id, status, "createdAt", input, "priceMicros" FROM "Run"
            WHERE "workspaceId" = ${principal.workspace.id} AND "agentSlug" = ${slug} AND "packageVersion" = ${from}
              AND "parentRunId" IS NULL AND status IN ('SUCCEEDED', 'FAILED')
            ORDER BY "createdAt" DESC LIMIT ${CANDIDATE_SCAN}
          ) recent ORDER BY md5(input::text), "createdAt" DESC
        ) distinct_inputs ORDER BY "createdAt" DESC, id DESC LIMIT ${MAX_CANDIDATES}`
    : [];
  return {
    agent: slug,
    from,
    /** How many inputs one preview may try. */
    maxInputs: MAX_PREVIEW_INPUTS,
    ranVersions,
    toVersions: versions.filter((v) => v.status === "PUBLISHED" && v.version !== from).map((v) => v.version),
    candidates: rows.map((r) => ({
      runId: r.id,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      priceMicros: microsJson(r.priceMicros),
      inputSummary: r.inputSummary.length > INPUT_SUMMARY_CHARS ? `${r.inputSummary.slice(0, INPUT_SUMMARY_CHARS)}…` : r.inputSummary,
    })),
  };
}

/** The 400s of a quote or start (nothing is written before they pass): version B, and each run id being the workspace's run of slug@A. */
async function checkRequest(principal: Principal, slug: string, body: QuoteUpgradePreviewBody) {
  if (body.from === body.to) throw new ApiError("bad_request", `Version ${body.to} is the version you are on; pick another version to try.`, { field: "to" });
  const versions = await runnableVersions(slug);
  if (!versions.length) throw new ApiError("not_found", `No published agent '${slug}'.`);
  if (!versions.some((v) => v.version === body.to && v.status === "PUBLISHED")) {
    throw new ApiError("bad_request", `${slug}@${body.to} is not a published version you can run; pick one of ${versions.filter((v) => v.status === "PUBLISHED").map((v) => v.version).join(", ") || "none"}.`, { field: "to", version: body.to });
  }
  const runs = await db.run.findMany({
    where: { id: { in: body.runIds }, workspaceId: principal.workspace.id, agentSlug: slug, packageVersion: body.from, parentRunId: null, status: { in: [...COMPARABLE] } },
    select: { id: true, input: true },
  });
  const found = new Map(runs.map((r) => [r.id, r]));
  const missing = body.runIds.filter((id) => !found.has(id));
  if (missing.length) {
    throw new ApiError("bad_request", `${missing.length === 1 ? `Run ${missing[0]} is` : `Runs ${missing.join(", ")} are`} not a finished run of ${slug}@${body.from} in this workspace.`, { field: "runIds", runIds: missing });
  }
  return body.runIds.map((id) => found.get(id)!);
}

/**
 * Per input, the quote of a run of slug@B (an input version B refuses carries its error instead), the total max
 * hold and the balance; 402 when it cannot cover it (`refuseShort: false`: start, whose items are refused one by one).
 */
export async function quoteUpgradePreview(principal: Principal, slug: string, body: QuoteUpgradePreviewBody, executor: RunEngine, { refuseShort = true } = {}) {
  const runs = await checkRequest(principal, slug, body);
  const items = [];
  let total = 0n;
  for (const run of runs) {
    try {
      const q = await quoteRun(principal, { agent: `${slug}@${body.to}`, input: run.input }, executor);
      total += BigInt(q.maxHoldMicros);
      items.push({ runId: run.id, expected: q.expected, maxHoldMicros: q.maxHoldMicros, error: null });
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      items.push({ runId: run.id, expected: null, maxHoldMicros: 0, error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
  }
  const { availableMicros } = await workspaceBalance(db, principal.workspace.id);
  const metered = principal.workspace.paymentMode === "METERED";
  if (refuseShort && !metered && availableMicros < total) throw insufficientCredits(total)(availableMicros);
  return { agent: slug, from: body.from, to: body.to, items, totalMaxHoldMicros: microsJson(total), availableMicros: microsJson(availableMicros), sufficient: metered || availableMicros >= total };
}

/** A keyed preview's id: the same key in the same workspace names the same preview (a retry finds it). */
const keyedPreviewId = (workspaceId: string, key: string) => `up${createHash("sha256").update(`${workspaceId}\n${key}`).digest("hex").slice(0, 23)}`;
/** The idempotency key of an item's run: derived from the preview, so starting it again never charges twice. */
const itemRunKey = (previewId: string, position: number) => `upgrade-preview:${previewId}:${position}`;

const previewSelect = {
  id: true,
  workspaceId: true,
  slug: true,
  fromVersion: true,
  toVersion: true,
  quoteMicros: true,
  createdAt: true,
  items: { orderBy: { position: "asc" }, select: { position: true, baseRunId: true, runId: true, error: true } },
} satisfies Prisma.UpgradePreviewSelect;
type PreviewRow = Prisma.UpgradePreviewGetPayload<{ select: typeof previewSelect }>;

/**
 * Records the preview and its items, then starts one charged run of slug@B per input (see the header).
 * With an idempotency key, a retry answers with the same preview (`created: false`) and starts no new run.
 */
export async function startUpgradePreview(principal: Principal, slug: string, body: StartUpgradePreviewBody, executor: RunEngine): Promise<{ preview: UpgradePreviewJson; created: boolean }> {
  const workspaceId = principal.workspace.id;
  const id = body.idempotencyKey ? keyedPreviewId(workspaceId, body.idempotencyKey) : `up${randomUUID().replace(/-/g, "").slice(0, 23)}`;
  if (body.idempotencyKey) {
    const existing = await db.upgradePreview.findFirst({ where: { id, workspaceId }, select: previewSelect });
    if (existing) return { preview: await replayPreview(principal, existing, slug, body, executor), created: false };
  }
  const quote = await quoteUpgradePreview(principal, slug, body, executor, { refuseShort: false });
  try {
    await db.upgradePreview.create({
      data: {
        id,
        workspaceId,
        createdByUserId: principal.kind === "user" ? principal.userId : null,
        slug,
        fromVersion: body.from,
        toVersion: body.to,
        quoteMicros: BigInt(quote.totalMaxHoldMicros),
        items: { create: body.runIds.map((baseRunId, position) => ({ position, baseRunId })) },
      },
    });
  } catch (err) {
    // The same key, at the same moment: the other request recorded it; answer as a retry.
    if (body.idempotencyKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const existing = await db.upgradePreview.findFirstOrThrow({ where: { id, workspaceId }, select: previewSelect });
      return { preview: await replayPreview(principal, existing, slug, body, executor), created: false };
    }
    throw err;
  }
  return { preview: await getUpgradePreview(principal, id, executor), created: true };
}

async function replayPreview(principal: Principal, existing: PreviewRow, slug: string, body: StartUpgradePreviewBody, executor: RunEngine) {
  const same = existing.slug === slug && existing.fromVersion === body.from && existing.toVersion === body.to && existing.items.map((i) => i.baseRunId).join() === body.runIds.join();
  if (!same) throw new ApiError("idempotency_key_reused", "This idempotency key was already used for a different upgrade preview.", { previewId: existing.id });
  return getUpgradePreview(principal, existing.id, executor);
}

/**
 * Starts the preview's pending items (no run, no error) in order: a refusal for the concurrent-runs limit
 * leaves the rest pending; any other refusal becomes the item's error. Safe to run twice at once: an item's
 * run has an idempotency key of its own.
 */
async function advancePreview(principal: Principal, preview: PreviewRow, executor: RunEngine): Promise<boolean> {
  const pending = preview.items.filter((i) => i.runId === null && i.error === null);
  if (!pending.length) return false;
  const inputs = new Map((await db.run.findMany({ where: { id: { in: pending.map((i) => i.baseRunId) }, workspaceId: preview.workspaceId }, select: { id: true, input: true } })).map((r) => [r.id, r.input]));
  for (const item of pending) {
    const where = { previewId_position: { previewId: preview.id, position: item.position } };
    const input = inputs.get(item.baseRunId);
    if (input === undefined) {
      await db.upgradePreviewItem.update({ where, data: { error: { code: "not_found", message: "The earlier run whose input this reused no longer exists." } } });
      continue;
    }
    try {
      const { run } = await acceptRun(principal, { agent: `${preview.slug}@${preview.toVersion}`, input, idempotencyKey: itemRunKey(preview.id, item.position) }, { executor });
      await db.upgradePreviewItem.update({ where, data: { runId: run.id } });
    } catch (err) {
      if (err instanceof RateLimited && err.dimension === "concurrent_runs") break; // the next read starts it
      if (!(err instanceof ApiError) || err.status >= 500) throw err;
      await db.upgradePreviewItem.update({ where, data: { error: { code: err.code, message: err.message } } });
    }
  }
  return true;
}

const comparedRunSelect = { ...runSummarySelect, output: true } satisfies Prisma.RunSelect;
type ComparedRow = Prisma.RunGetPayload<{ select: typeof comparedRunSelect }>;

/** One side of an item: what the comparison shows of a run. */
function side(run: ReturnType<typeof runSummaryJson> | undefined) {
  if (!run) return null;
  return { id: run.id, version: run.agentVersion, status: run.status, priceMicros: run.priceMicros, durationMs: run.durationMs, error: run.error, createdAt: run.createdAt };
}

const isLive = (status: string | undefined) => status !== undefined && !TERMINAL_STATUSES.has(status);

function previewJson(p: PreviewRow, runs: Map<string, ComparedRow>, withDiff: boolean) {
  const items = p.items.map((item) => {
    const baseRow = runs.get(item.baseRunId);
    const nextRow = item.runId ? runs.get(item.runId) : undefined;
    const base = side(baseRow && runSummaryJson(baseRow));
    const next = side(nextRow && runSummaryJson(nextRow));
    const finished = baseRow && nextRow && !isLive(nextRow.status);
    return {
      position: item.position,
      base,
      next,
      error: item.error as { code: string; message: string } | null,
      pending: item.runId === null && item.error === null,
      diff: withDiff && finished ? jsonDiff(baseRow.output, nextRow.output) : null,
    };
  });
  const sum = (pick: (i: (typeof items)[number]) => { status: string; priceMicros: number } | null) => {
    const sides = items.map(pick).filter((s) => s !== null);
    return { priceMicros: sides.reduce((t, s) => t + s.priceMicros, 0), succeeded: sides.filter((s) => s.status === "SUCCEEDED").length, runs: sides.length };
  };
  return {
    id: p.id,
    agent: p.slug,
    from: p.fromVersion,
    to: p.toVersion,
    quoteMicros: microsJson(p.quoteMicros),
    createdAt: p.createdAt.toISOString(),
    items,
    totals: { from: sum((i) => i.base), to: sum((i) => i.next), failedToStart: items.filter((i) => i.error).length },
    /** Whether an item is still pending, queued or running: the page polls until it is false. */
    live: items.some((i) => i.pending || isLive(i.next?.status)),
  };
}
export type UpgradePreviewJson = ReturnType<typeof previewJson>;

async function comparedRuns(workspaceId: string, previews: PreviewRow[], withOutput: boolean): Promise<Map<string, ComparedRow>> {
  const ids = previews.flatMap((p) => p.items.flatMap((i) => (i.runId ? [i.baseRunId, i.runId] : [i.baseRunId])));
  const where = { id: { in: ids }, workspaceId };
  const rows: ComparedRow[] = withOutput ? await db.run.findMany({ where, select: comparedRunSelect }) : (await db.run.findMany({ where, select: runSummarySelect })).map((r) => ({ ...r, output: null }));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The preview with its comparison (404 for another workspace's); with `executor`, its pending items are started first. */
export async function getUpgradePreview(principal: Principal, id: string, executor?: RunEngine): Promise<UpgradePreviewJson> {
  const workspaceId = principal.workspace.id;
  const find = () => db.upgradePreview.findFirst({ where: { id, workspaceId }, select: previewSelect });
  let preview = await find();
  if (!preview) throw new ApiError("not_found", "No such upgrade preview in this workspace.");
  if (executor && (await advancePreview(principal, preview, executor))) preview = (await find())!;
  return previewJson(preview, await comparedRuns(workspaceId, [preview], true), true);
}

/** The workspace's previews, newest first, with their totals (the outputs' differences are on each preview's own page). */
export async function listUpgradePreviews(principal: Principal, q: z.output<typeof listUpgradePreviewsQuerySchema>) {
  const workspaceId = principal.workspace.id;
  const after = newestFirstAfter(q.cursor);
  const rows = await db.upgradePreview.findMany({ where: { workspaceId, ...(after && { AND: [after] }) }, select: previewSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const runs = await comparedRuns(workspaceId, page, false);
  return { data: page.map((p) => previewJson(p, runs, false)), nextCursor };
}
