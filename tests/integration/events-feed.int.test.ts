import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as eventsRoute from "@/app/api/v1/events/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { creditPayment } from "@/lib/billing/credits";
import { getDb } from "@/lib/db/client";
import { listEvents, type FeedEvent } from "@/lib/events/feed";
import { EVENT_TYPES, LOW_BALANCE_MICROS } from "@/lib/events/types";
import { BidStatus, PackageStatus, PayoutStatus, RunStatus } from "@/lib/generated/prisma/enums";
import { acceptRun } from "@/lib/runs/accept-run";
import { runExecutor, startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute } from "../helpers/call-route";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";

// The event feed (issue 22, item 1): events written by triggers in the transaction of the change,
// numbered at commit in one gapless sequence per workspace, read with `after`.

const db = getDb();

/** Every event of a workspace, paging with `after` as a consumer would. */
async function readAll(workspaceId: string, after = 0, limit = 100): Promise<FeedEvent[]> {
  const seen: FeedEvent[] = [];
  for (;;) {
    const page = await listEvents(workspaceId, { after, limit, types: [] });
    seen.push(...page.data);
    after = page.nextAfter;
    if (!page.hasMore) return seen;
  }
}

const emit = (workspaceId: string, n: number) => db.$executeRaw`SELECT agora_emit_event(${workspaceId}, 'balance.changed', jsonb_build_object('n', ${n}::int)) FROM generate_series(1, ${n})`;

describe("one gapless sequence per workspace", () => {
  it("1,000 events from 20 concurrent writers (some rolled back) are numbered 1…1000 in commit order, and a reader paging meanwhile sees each once", async () => {
    const { workspace } = await createUser("events-seq");
    const other = await createUser("events-seq-other");
    const base = (await readAll(workspace.id)).length; // sign-up's own events (the starting credit)
    let stop = false;
    const reader = (async () => {
      const seen: FeedEvent[] = [];
      let after = base;
      while (!stop || seen.length < 1000) {
        const page = await listEvents(workspace.id, { after, limit: 37, types: [] });
        seen.push(...page.data);
        after = page.nextAfter;
      }
      return seen;
    })();
    // Each writer: 25 transactions of 1–3 events; every fifth rolls back; each also writes to another workspace.
    let committed = 0;
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (let i = 0; committed < 1000 && i < 200; i++) {
          const n = 1 + ((w + i) % 3);
          const rollback = i % 5 === 4;
          await db
            .$transaction(async (tx) => {
              await tx.$executeRaw`SELECT agora_emit_event(${other.workspace.id}, 'balance.changed', '{}'::jsonb)`;
              await tx.$executeRaw`SELECT agora_emit_event(${workspace.id}, 'balance.changed', jsonb_build_object('writer', ${w}::int)) FROM generate_series(1, ${n})`;
              if (rollback || committed + n > 1000) throw new Error("rolled back on purpose");
              committed += n;
            })
            .catch((err: Error) => {
              if (err.message !== "rolled back on purpose") throw err;
            });
        }
      }),
    );
    if (committed < 1000) await emit(workspace.id, 1000 - committed);
    stop = true;
    const whileWriting = await reader;
    const all = (await readAll(workspace.id)).slice(base);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => base + i + 1));
    expect(whileWriting.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
    // The other workspace's numbers are its own, gapless too.
    const others = await readAll(other.workspace.id);
    expect(others.map((e) => e.seq)).toEqual(others.map((_, i) => i + 1));
    const counter = await db.eventCounter.findUniqueOrThrow({ where: { workspaceId: workspace.id } });
    expect(Number(counter.seq)).toBe(base + 1000);
  });
});

describe("what the triggers write", () => {
  beforeAll(async () => {
    await startRunWorker("all");
  });

  it("a run: balance.changed at the hold, run.started, run.succeeded and the settled balance, in that order", async () => {
    const { principal, workspace } = await createUser("events-run", { tier: "enterprise" });
    await setWallet(workspace.id, 5_000_000n);
    const after = (await readAll(workspace.id)).at(-1)!.seq;
    const { run } = await acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor: runExecutor() });
    await workspaceSettled(workspace.id);
    const events = await readAll(workspace.id, after);
    expect(events.map((e) => e.type)).toEqual(["balance.changed", "run.started", "run.succeeded", "balance.changed"]);
    const settled = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(events[2]!.data).toMatchObject({ runId: run.id, agent: "security-scanner", status: "SUCCEEDED", priceMicros: Number(settled.priceMicros) });
    const wallet = await db.ledgerAccount.findUniqueOrThrow({ where: { workspaceId: workspace.id } });
    expect(events[3]!.data).toEqual({ availableMicros: Number(wallet.postedMicros - wallet.pendingDebitsMicros), postedMicros: Number(wallet.postedMicros), heldMicros: 0 });
    expect(events[0]!.data.heldMicros).toBeGreaterThan(0);
  });

  it("a top-up: topup.succeeded with the amount and the new balance; balance.low once when the balance falls under $0.50", async () => {
    const { workspace } = await createUser("events-topup");
    await setWallet(workspace.id, 0n);
    const after = (await readAll(workspace.id)).at(-1)!.seq;
    await db.$transaction((tx) => creditPayment(tx, { workspaceId: workspace.id, paymentIntentId: `pi_${randomUUID()}`, amountMicros: 10_000_000n, reason: "top_up" }));
    await setWallet(workspace.id, BigInt(LOW_BALANCE_MICROS) - 1n); // down to nothing, then a grant under the threshold
    const events = await readAll(workspace.id, after);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(["topup.succeeded", "balance.changed"]);
    expect(events[0]!.data).toMatchObject({ amountMicros: 10_000_000, automatic: false });
    expect(events[1]!.data).toMatchObject({ availableMicros: 10_000_000 });
    expect(types.filter((t) => t === "balance.low")).toHaveLength(1);
    expect(events.find((e) => e.type === "balance.low")!.data).toMatchObject({ availableMicros: 0, thresholdMicros: LOW_BALANCE_MICROS });
  });

  it("every type a trigger can write is a documented type", () => {
    const written = [
      ...Object.values(RunStatus).filter((s) => s !== "QUEUED").map((s) => `run.${s === "RUNNING" ? "started" : s.toLowerCase()}`),
      ...Object.values(PayoutStatus).map((s) => `payout.${s.toLowerCase()}`),
      ...Object.values(PackageStatus).map((s) => `package.${s.toLowerCase()}`),
      "bid.placed",
      ...Object.values(BidStatus).filter((s) => s !== "ACTIVE").map((s) => `bid.${s.toLowerCase()}`),
    ];
    expect(written.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t))).toEqual([]);
  });
});

describe("GET /api/v1/events", () => {
  it("pages with after, filters by type, sees only the caller's workspace, and refuses bad input with a 400", async () => {
    const { principal, workspace } = await createUser("events-api");
    const stranger = await createUser("events-api-stranger");
    await emit(workspace.id, 5);
    await emit(stranger.workspace.id, 3);
    const key = await createApiKey(principal, { name: "events" });
    const auth = { authorization: `Bearer ${key.secret}` };
    const get = (qs: string) => callRoute(eventsRoute.GET, { path: `/api/v1/events${qs}`, headers: auth });
    const mine = await readAll(workspace.id);
    const first = await get("?limit=2");
    expect(first.status).toBe(200);
    const page = first.body as unknown as { data: FeedEvent[]; nextAfter: number; hasMore: boolean };
    expect(page.data.map((e) => e.seq)).toEqual([1, 2]);
    expect(page).toMatchObject({ nextAfter: 2, hasMore: true });
    const rest = (await get(`?after=${page.nextAfter}&limit=1000`)).body as unknown as typeof page;
    expect(rest.data.map((e) => e.seq)).toEqual(mine.slice(2).map((e) => e.seq));
    expect(rest.hasMore).toBe(false);
    const runsOnly = (await get("?types=run.*")).body as unknown as typeof page;
    expect(runsOnly.data).toEqual([]);
    const balance = (await get("?types=balance.changed")).body as unknown as typeof page;
    expect(balance.data.length).toBe(mine.filter((e) => e.type === "balance.changed").length);

    const notNumber = await get("?after=yesterday");
    expect(notNumber.status).toBe(400);
    expect(notNumber.body!.error.message).toMatch(/after/);
    const unknownType = await get("?types=run.*,run.exploded");
    expect(unknownType.status).toBe(400);
    expect(unknownType.body!.error.message).toMatch(/run\.exploded.*Valid:.*run\.succeeded/);
    expect((await callRoute(eventsRoute.GET, { path: "/api/v1/events" })).status).toBe(401);
  });
});
