import { afterAll, expect, it } from "vitest";
import { principalFromUser, type Principal } from "@/lib/auth/principal";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { awardBid, closeBidWindows } from "@/lib/exchange/award";
import { placeBid, withdrawBid } from "@/lib/exchange/bids";
import { sweepContracts } from "@/lib/exchange/contract-sweep";
import { deliverOutput } from "@/lib/exchange/delivery";
import { disputeWork, resolveDispute } from "@/lib/exchange/disputes";
import { acceptWork } from "@/lib/exchange/settle";
import { cancelWork, postWork } from "@/lib/exchange/work";
import { ApiError } from "@/lib/http/errors";
import { matureEarnings } from "@/lib/ledger/earnings";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { ACCEPT_WINDOW_MS, ExchangeModel, expectModel, HOUR, type MBid, type MWork } from "../helpers/exchange-sim";
import { createUser, setWallet } from "../helpers/factories";
import { createProvider } from "../helpers/market";
import { ownDatabase } from "../helpers/own-database";
import { prng } from "../helpers/prng";

// Issue 21's acceptance: a seeded randomized simulation of ≥ 5,000 exchange operations.
// Each step draws one operation — post, bid, withdraw, award, cancel, deliver (an
// output that passes or fails the checks, by hand), accept, dispute, resolve, an
// accept racing a dispute, or time: the clock moving on, the bid-window and contract
// sweeps and the earnings' maturity run at that simulated `at` — aimed at a target
// where it is valid or, as often, where it is not: a refusal must carry the right
// status and change nothing (no row, no balance). After every step the model
// (tests/helpers/exchange-sim.ts) must equal the database and no money may have been
// created or lost; every 250 steps and at the end, checkLedgerInvariants is empty.
// SIM_SEED replays a run exactly; SIM_STEPS changes its length.
//
// The file runs on a database of its own: the sweeps take every work due at `at`, and
// this clock runs months ahead, so on the shared database they would close and refund
// the works other files are testing at the same moment (and theirs would touch these).

const SEED = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const STEPS = Number(process.env.SIM_STEPS ?? 5_000);
const GRANT = 200_000_000n; // $200 per buyer
const MINUTE = 60_000;

const own = await ownDatabase("agora_sim");
afterAll(own.drop);

const ACCEPTANCE = {
  outputSchema: { type: "object", required: ["answer", "score"], properties: { answer: { type: "string" }, score: { type: "number" }, sources: { type: "array" } } },
  checks: [
    { type: "range", path: "/score", min: 0, max: 1 },
    { type: "regex", path: "/answer", pattern: "^[a-z ]+$" },
    { type: "citations", path: "/sources", min: 1 },
  ],
};
const PASSING = { answer: "all good", score: 0.8, sources: ["https://example.org/a"] };
const FAILING = [{ ...PASSING, score: 3 }, { ...PASSING, answer: "Not OK!" }, { ...PASSING, sources: [] }, { score: 0.5, sources: ["x"] }];

type Actor = { ws: string; principal: Principal };

it(`exchange simulation (seed ${SEED}): ${STEPS} random operations keep the model, the money and the ledger's invariants`, { timeout: 600_000 }, async () => {
  const db = getDb();
  const r = prng(SEED);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => r() < p;
  const maturityMs = env().AGORA_EARNINGS_MATURITY_DAYS * 86_400_000;

  // The market: three buyers, four providers (the default fee, 15 %, none, an odd 33.33 %), the first provider's workspace buying too.
  const fees = [undefined, 1_500, 0, 3_333];
  const [plain, made, adminUser] = await Promise.all([
    Promise.all([0, 1, 2].map((i) => createUser(`sim-buyer${i}`))),
    Promise.all(fees.map((feeBps, i) => createProvider(`simprov${i}`, { feeBps }))),
    createUser("sim-admin"),
  ]);
  await db.user.update({ where: { id: adminUser.user.id }, data: { isAdmin: true } });
  const admin = (await principalFromUser(adminUser.user.id))!;
  const providers = made.map(({ owner, provider }, i) => ({ id: provider.id, slug: provider.slug, ws: owner.workspace.id, principal: owner.principal as Principal, feeBps: fees[i] ?? env().AGORA_PLATFORM_FEE_BPS }));
  const buyers: Actor[] = [...plain.map((u) => ({ ws: u.workspace.id, principal: u.principal as Principal })), { ws: providers[0]!.ws, principal: providers[0]!.principal }];
  const wallets: string[] = [];
  for (const b of buyers) wallets.push(await setWallet(b.ws, GRANT));
  const model = new ExchangeModel(buyers.map(() => GRANT), providers.length);
  const ids = { buyers: buyers.map((b) => b.ws), wallets, providers: providers.map((p) => p.id) };
  const providerOf = (ws: string) => providers.findIndex((p) => p.ws === ws);

  let clock = Date.now();
  const at = () => new Date(clock);
  const counts: Record<string, number> = {};
  const tally = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);
  const log: string[] = [];
  let touched: string | null = null;
  let unchanged = false; // the step must have written no row (a refusal, a replay)
  const postKeys: { buyer: number; key: string; workId: string; body: Parameters<typeof postWork>[1]; bidDeadline: number }[] = [];
  const awardKeys = new Map<string, string>();
  const silent = new Set<string>(); // works whose buyer never comes back after the delivery: the 72-hour auto-accept settles them
  const acceptKeys = new Map<string, string>();

  /** Calls `call`: with no `refusals` it must succeed; otherwise it must be refused with one of those statuses (any one is right when several rules are broken at once). */
  async function attempt<T>(kind: string, refusals: number[], call: () => Promise<T>, onOk: (result: T) => unknown, o: { refused?: (err: ApiError) => void } = {}) {
    let result: T;
    try {
      result = await call();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (!refusals.includes(err.status)) throw new Error(`${kind}: refused with ${err.status} ${err.code} "${err.message}"; expected ${refusals.length ? refusals.join(" or ") : "success"}`);
      o.refused?.(err);
      tally(`${kind}:${err.status}`);
      log.push(`${kind} ${touched ?? ""} → ${err.status} ${err.code}`);
      unchanged = true;
      return;
    }
    if (refusals.length) throw new Error(`${kind}: succeeded; expected a refusal (${refusals.join(" or ")})`);
    await onOk(result);
    tally(`${kind}:ok`);
    log.push(`${kind} ${touched ?? ""} → ok`);
  }

  /** An earlier successful call retried under its idempotency key: the work as it is now, nothing written. */
  function replay(kind: string, keys: Map<string, string>, call: (w: MWork, key: string) => Promise<{ status: string }>) {
    const [workId, key] = pick([...keys]);
    const w = model.works.get(workId)!;
    touched = w.id;
    unchanged = true;
    return attempt(kind, [], () => call(w, key), (out) => expect(out.status).toBe(w.status));
  }

  const works = () => [...model.works.values()];
  /** A work matching `want` with probability `p` (when there is one), else any work. */
  const target = (want: (w: MWork) => boolean, p = 0.85): MWork | null => {
    const good = works().filter(want);
    if (good.length && chance(p)) return pick(good);
    const all = works();
    return all.length ? pick(all) : null;
  };
  const otherProvider = (not: number[]) => pick(providers.filter((_, i) => !not.includes(i)));
  const stranger = (w: MWork) => pick(providers.filter((p) => p.ws !== buyers[w.buyer]!.ws)).principal;
  const openBids = (w: MWork) => w.bids.filter((b) => b.status === "ACTIVE");

  async function post() {
    const buyer = int(buyers.length);
    const retry = postKeys.filter((k) => k.buyer === buyer && clock < k.bidDeadline);
    if (retry.length && chance(0.05)) {
      const earlier = pick(retry);
      touched = earlier.workId;
      unchanged = true;
      return attempt("post replay", [], () => postWork(buyers[buyer]!.principal, earlier.body, { idempotencyKey: earlier.key, at: at() }), (w) => expect(w.id).toBe(earlier.workId));
    }
    const bidDeadline = clock + (30 + int(36 * 60)) * MINUTE;
    const deliveryDeadline = bidDeadline + (60 + int(72 * 60)) * MINUTE;
    const invited = chance(0.2) ? [...new Set([int(providers.length), int(providers.length)])] : null;
    const body = {
      title: `Simulated work ${log.length}`, description: "Summarize **the input**.", input: { step: log.length }, acceptance: ACCEPTANCE as unknown,
      budgetMicros: 50_000 + int(4_950_000), capabilities: ["sim"], visibility: invited ? ("INVITED" as const) : ("PUBLIC" as const),
      invitedProviders: invited ? invited.map((i) => providers[i]!.slug) : undefined, autoAward: chance(0.4),
      bidDeadline: new Date(bidDeadline).toISOString(), deliveryDeadline: new Date(deliveryDeadline).toISOString(),
    };
    const v = r();
    const refusals: number[] = [];
    let says = /./; // what the refusal must name
    if (v < 0.03) {
      body.budgetMicros = chance(0.5) ? 0 : -1_000;
      refusals.push(400);
      says = /budget/i;
    } else if (v < 0.06) {
      body.budgetMicros = Number(model.available(buyer)) + 1;
      refusals.push(402);
    } else if (v < 0.08) {
      body.acceptance = { ...ACCEPTANCE, checks: [{ type: "regex", path: "/answer", pattern: "(unclosed" }] };
      refusals.push(400);
      says = /acceptance\.checks\.0\.pattern/;
    } else if (v < 0.1) {
      body.bidDeadline = new Date(clock - HOUR).toISOString();
      refusals.push(400);
      says = /bidDeadline/;
    } else if (v < 0.11) {
      body.bidDeadline = new Date(deliveryDeadline + HOUR).toISOString();
      refusals.push(400);
      says = /deliveryDeadline/;
    } else if (BigInt(body.budgetMicros) > model.available(buyer)) refusals.push(402);
    if (refusals[0] === 402) says = /insufficient_credits/;
    const key = `sim-${SEED}-${log.length}`;
    const named = (err: ApiError) => expect(`${err.code} ${err.message} ${JSON.stringify(err.details ?? {})}`).toMatch(says);
    await attempt("post", refusals, () => postWork(buyers[buyer]!.principal, body, { idempotencyKey: key, at: at() }), (w) => {
      expect(w).toMatchObject({ status: "OPEN", budgetMicros: body.budgetMicros, autoAward: body.autoAward });
      model.posted({ id: w.id, buyer, budget: BigInt(body.budgetMicros), bidDeadline, deliveryDeadline, autoAward: body.autoAward, invited });
      postKeys.push({ buyer, key, workId: w.id, body, bidDeadline });
      if (chance(0.25)) silent.add(w.id);
      touched = w.id;
    }, { refused: named });
  }

  async function bid() {
    const w = target((x) => x.status === "OPEN" && clock < x.bidDeadline);
    if (!w) return post();
    touched = w.id;
    const p = int(providers.length);
    const prov = providers[p]!;
    const v = r();
    const price = v < 0.06 ? w.budget + 1n : v < 0.08 ? 0n : w.budget / 4n + BigInt(int(Number((w.budget * 3n) / 4n) + 1));
    const refusals = new Set<number>();
    const own = prov.ws === buyers[w.buyer]!.ws;
    if (own) refusals.add(403);
    else if (w.invited && !w.invited.includes(p)) refusals.add(404);
    if (w.status !== "OPEN" || clock >= w.bidDeadline) refusals.add(409);
    if (price > w.budget || price <= 0n) refusals.add(400);
    if (w.bids.some((b) => b.provider === p)) refusals.add(409);
    const asNonProvider = chance(0.03);
    const principal = asNonProvider ? pick(buyers.filter((b) => providerOf(b.ws) < 0)).principal : prov.principal;
    if (asNonProvider) refusals.add(403);
    await attempt("bid", [...refusals], () => placeBid(principal, w.id, { priceMicros: Number(price), promisedMinutes: 10 + int(600), note: chance(0.3) ? "by hand" : undefined }, { at: at() }), (b) => {
      expect(b).toMatchObject({ workId: w.id, status: "ACTIVE", priceMicros: Number(price), package: null });
      w.bids.push({ id: b.id, workId: w.id, provider: p, price, status: "ACTIVE" });
    });
  }

  async function withdraw() {
    const all = works().flatMap((w) => w.bids);
    const good = all.filter((b) => b.status === "ACTIVE" && model.works.get(b.workId)!.status === "OPEN");
    const b: MBid | undefined = good.length && chance(0.8) ? pick(good) : all.length ? pick(all) : undefined;
    if (!b) return bid();
    const w = model.works.get(b.workId)!;
    touched = w.id;
    const stranger = chance(0.08);
    const refusals = stranger ? [403, 404] : b.status !== "ACTIVE" || w.status !== "OPEN" ? [409] : [];
    await attempt("withdraw", refusals, () => withdrawBid((stranger ? otherProvider([b.provider]) : providers[b.provider]!).principal, w.id, b.id), (out) => {
      expect(out).toMatchObject({ id: b.id, status: "WITHDRAWN" });
      b.status = "WITHDRAWN";
    });
  }

  async function award() {
    if (awardKeys.size && chance(0.06)) return replay("award replay", awardKeys, (w, key) => awardBid(buyers[w.buyer]!.principal, w.id, w.contract!.bidId, { idempotencyKey: key, at: at() }));
    const w = target((x) => x.status === "OPEN" && !x.autoAward && openBids(x).length > 0); // an auto-award buyer mostly waits for the window to close
    if (!w) return post();
    touched = w.id;
    const b = w.bids.length ? (openBids(w).length && chance(0.9) ? pick(openBids(w)) : pick(w.bids)) : null;
    if (!b) return bid();
    const asStranger = chance(0.06);
    const refusals = asStranger ? [403, 404] : w.status !== "OPEN" || b.status !== "ACTIVE" || clock >= w.deliveryDeadline ? [409] : [];
    const key = `award-${SEED}-${log.length}`;
    await attempt("award", refusals, () => awardBid(asStranger ? stranger(w) : buyers[w.buyer]!.principal, w.id, b.id, { idempotencyKey: key, at: at() }), (out) => {
      expect(out.status).toBe("AWARDED");
      expect(out.contract).toMatchObject({ bidId: b.id, priceMicros: Number(b.price), feeBps: providers[b.provider]!.feeBps });
      model.awarded(w, b, { id: out.contract!.id, feeBps: providers[b.provider]!.feeBps, deadline: w.deliveryDeadline });
      awardKeys.set(w.id, key);
    });
  }

  async function cancel() {
    const w = target((x) => x.status === "OPEN", 0.6);
    if (!w) return post();
    touched = w.id;
    const asStranger = chance(0.08);
    await attempt("cancel", asStranger ? [403, 404] : w.status !== "OPEN" ? [409] : [], () => cancelWork(asStranger ? stranger(w) : buyers[w.buyer]!.principal, w.id), (out) => {
      expect(out.status).toBe("CANCELED");
      model.released(w, "CANCELED");
    });
  }

  async function deliver() {
    const w = target((x) => (x.status === "AWARDED" || x.status === "REDELIVERY") && clock < x.contract!.deadline);
    if (!w) return post();
    touched = w.id;
    const c = w.contract;
    const asStranger = chance(0.06) || !c;
    const pass = chance(0.6);
    const big = chance(0.03);
    const output = big ? { ...PASSING, answer: "a".repeat(300_000) } : pass ? PASSING : pick(FAILING);
    const refusals = new Set<number>();
    if (!c) refusals.add(409); // not awarded (yet): no contract to deliver on
    else if (asStranger) refusals.add(403);
    if (w.status !== "AWARDED" && w.status !== "REDELIVERY") refusals.add(409);
    else if (clock >= c!.deadline) refusals.add(409);
    if (big) refusals.add(413);
    const principal = c && !asStranger ? providers[c.provider]!.principal : otherProvider(c ? [c.provider] : []).principal;
    await attempt("deliver", [...refusals], () => deliverOutput(principal, w.id, output, { at: at() }), (d) => {
      c!.attempts++;
      expect(d).toMatchObject({ attempt: c!.attempts, verdict: pass ? "PASSED" : "FAILED" });
      if (pass) {
        c!.passedAt = clock;
        w.status = "DELIVERED";
      } else if (c!.attempts === 1) w.status = "REDELIVERY";
      else model.released(w, "REFUNDED");
    });
  }

  async function accept() {
    if (acceptKeys.size && chance(0.06)) return replay("accept replay", acceptKeys, (w, key) => acceptWork(buyers[w.buyer]!.principal, w.id, { idempotencyKey: key, at: at() }));
    const w = target((x) => x.status === "DELIVERED" && !silent.has(x.id));
    if (!w) return deliver();
    touched = w.id;
    const asStranger = chance(0.06);
    const key = `accept-${SEED}-${log.length}`;
    await attempt("accept", asStranger ? [403, 404] : w.status !== "DELIVERED" ? [409] : [], () => acceptWork(asStranger ? stranger(w) : buyers[w.buyer]!.principal, w.id, { idempotencyKey: key, at: at() }), (out) => {
      expect(out.status).toBe("SETTLED");
      model.settled(w, "SETTLED", clock, clock + maturityMs);
      acceptKeys.set(w.id, key);
    });
  }

  async function dispute() {
    const w = target((x) => x.status === "DELIVERED" && !silent.has(x.id));
    if (!w) return deliver();
    touched = w.id;
    const short = chance(0.05);
    const refusals = new Set<number>();
    if (short) refusals.add(400);
    if (w.status !== "DELIVERED" || clock >= w.contract!.passedAt! + ACCEPT_WINDOW_MS) refusals.add(409);
    await attempt("dispute", [...refusals], () => disputeWork(buyers[w.buyer]!.principal, w.id, short ? "bad" : "The summary misses half of the input's sections.", { at: at() }), (out) => {
      expect(out.status).toBe("DISPUTED");
      w.status = "DISPUTED";
    });
  }

  async function resolve() {
    const w = target((x) => x.status === "DISPUTED");
    if (!w) return dispute();
    touched = w.id;
    const price = w.contract?.price ?? 1n;
    const outcome = pick(["RELEASE", "PARTIAL_REFUND", "FULL_REFUND"] as const);
    const badRefund = outcome === "PARTIAL_REFUND" && (chance(0.08) || price < 2n);
    const refund = outcome === "FULL_REFUND" ? price : outcome === "RELEASE" ? 0n : badRefund ? (chance(0.5) ? price : 0n) : 1n + BigInt(int(Number(price - 1n)));
    const asBuyer = chance(0.05);
    const refusals = new Set<number>();
    if (asBuyer) refusals.add(403);
    if (badRefund) refusals.add(400);
    if (w.status !== "DISPUTED") refusals.add(409);
    const body = { outcome, reason: "Two of the five sections are missing.", ...(outcome === "PARTIAL_REFUND" ? { refundMicros: Number(refund) } : {}) };
    await attempt("resolve", [...refusals], () => resolveDispute(asBuyer ? buyers[w.buyer]!.principal : admin, w.id, body, { at: at() }), (out) => {
      expect(out.status).toBe("RESOLVED");
      model.settled(w, "RESOLVED", clock, clock + maturityMs, refund);
      tally(`resolve:${outcome}`);
    });
  }

  async function race() {
    const w = works().find((x) => x.status === "DELIVERED" && !silent.has(x.id) && clock < x.contract!.passedAt! + ACCEPT_WINDOW_MS);
    if (!w) return deliver();
    touched = w.id;
    const principal = buyers[w.buyer]!.principal;
    const [a, d] = await Promise.allSettled([acceptWork(principal, w.id, { at: at() }), disputeWork(principal, w.id, "Raced against an acceptance.", { at: at() })]);
    expect([a.status, d.status].sort(), "exactly one of accept and dispute wins").toEqual(["fulfilled", "rejected"]);
    const lost = (a.status === "rejected" ? a : d) as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ status: 409 });
    if (a.status === "fulfilled") model.settled(w, "SETTLED", clock, clock + maturityMs);
    else w.status = "DISPUTED";
    tally(`race:${a.status === "fulfilled" ? "accepted" : "disputed"}`);
  }

  function advance() {
    const bounds = model.boundaries();
    clock += chance(0.7) ? (1 + int(120)) * MINUTE : chance(0.85) ? (2 + int(28)) * HOUR : (3 + int(3)) * 24 * HOUR;
    clock += int(MINUTE);
    while (bounds.has(clock)) clock++;
    tally("advance");
    log.push(`advance → ${at().toISOString()}`);
    unchanged = true;
  }

  async function closeBids() {
    const due = works().filter((w) => w.status === "OPEN" && clock > w.bidDeadline);
    const autoAwarded = due.filter((w) => w.autoAward && clock < w.deliveryDeadline && openBids(w).length > 0);
    const refunded = due.filter((w) => clock > w.deliveryDeadline || openBids(w).length === 0);
    expect(await closeBidWindows(db, at()), "works closed").toBe(autoAwarded.length + refunded.length);
    const contracts = await db.contract.findMany({ where: { workId: { in: autoAwarded.map((w) => w.id) } } });
    expect(contracts.length, "auto-awarded works").toBe(autoAwarded.length);
    for (const c of contracts) {
      const w = model.works.get(c.workId)!;
      const b = openBids(w).find((x) => x.id === c.bidId);
      expect(b, "the auto-award took an active bid").toBeDefined();
      expect({ price: c.priceMicros, feeBps: c.feeBps }).toEqual({ price: b!.price, feeBps: providers[b!.provider]!.feeBps });
      model.awarded(w, b!, { id: c.id, feeBps: c.feeBps, deadline: w.deliveryDeadline });
    }
    for (const w of refunded) model.released(w, "REFUNDED");
    counts["close:awarded"] = (counts["close:awarded"] ?? 0) + autoAwarded.length;
    counts["close:refunded"] = (counts["close:refunded"] ?? 0) + refunded.length;
    log.push(`closeBidWindows → ${autoAwarded.length} awarded, ${refunded.length} refunded`);
    unchanged = autoAwarded.length + refunded.length === 0;
  }

  async function sweep() {
    const missed = works().filter((w) => (w.status === "AWARDED" || w.status === "REDELIVERY") && clock > w.contract!.deadline);
    const accepted = works().filter((w) => w.status === "DELIVERED" && clock > w.contract!.passedAt! + ACCEPT_WINDOW_MS);
    const out = await sweepContracts(db, at());
    expect({ refunded: out.refunded, accepted: out.accepted }).toEqual({ refunded: missed.length, accepted: accepted.length });
    for (const w of missed) model.released(w, "REFUNDED");
    for (const w of accepted) model.settled(w, "SETTLED", clock, clock + maturityMs);
    counts["sweep:refunded"] = (counts["sweep:refunded"] ?? 0) + missed.length;
    counts["sweep:accepted"] = (counts["sweep:accepted"] ?? 0) + accepted.length;
    log.push(`sweepContracts → ${missed.length} refunded, ${accepted.length} accepted`);
    unchanged = missed.length + accepted.length === 0;
  }

  async function mature() {
    const n = await matureEarnings(db, at());
    expect(n, "shares matured").toBe(model.matured(clock));
    counts["mature"] = (counts["mature"] ?? 0) + n;
    log.push(`matureEarnings → ${n}`);
    unchanged = n === 0;
  }

  const ops: [number, () => unknown][] = [
    [12, post], [22, bid], [5, withdraw], [10, award], [3, cancel], [13, deliver], [6, accept], [5, dispute], [5, resolve], [1, race],
    [7, advance], [4, closeBids], [4, sweep], [2, mature],
  ];
  const totalWeight = ops.reduce((s, [w]) => s + w, 0);
  const draw = () => {
    let x = r() * totalWeight;
    for (const [w, op] of ops) if ((x -= w) < 0) return op;
    return post;
  };

  let rows = await expectModel(db, model, ids, null);
  const ms = { ops: 0, checks: 0 }; // where the time goes: the operations, and the model check after each
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  try {
    for (let step = 0; step < STEPS; step++) {
      touched = null;
      unchanged = false;
      const t0 = performance.now();
      await draw()();
      const t1 = performance.now();
      const after = await expectModel(db, model, ids, touched);
      ms.ops += t1 - t0;
      ms.checks += performance.now() - t1;
      if (unchanged) expect(after, `step ${step} was refused or replayed: nothing may change`).toEqual(rows);
      rows = after;
      if (step % 250 === 249) {
        expect(await checkLedgerInvariants(db)).toEqual([]);
        await db.$executeRaw`ANALYZE`; // this database is new: its statistics are the planner's only guide
      }
    }
    expect(await checkLedgerInvariants(db)).toEqual([]);
  } catch (err) {
    console.error(`Exchange simulation failed — replay with SIM_SEED=${SEED}\nlast steps:\n${log.slice(-12).join("\n")}`);
    throw err;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  console.log(`exchange simulation (seed ${SEED}): ${STEPS} steps in ${Date.now() - started} ms (operations ${Math.round(ms.ops)} ms, checks ${Math.round(ms.checks)} ms; this process's CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms); works ${JSON.stringify(model.statusCounts())}\n${JSON.stringify(counts)}`);

  // Every path was taken, valid and refused: a simulation that only ever posts proves nothing.
  // (A short run, SIM_STEPS below 2,000 to replay a failure quickly, need not take them all.)
  if (STEPS < 2_000) return;
  for (const k of [
    "post:ok", "post:400", "post:402", "post replay:ok", "bid:ok", "bid:400", "bid:403", "bid:404", "bid:409", "withdraw:ok", "withdraw:409",
    "award:ok", "award:409", "award replay:ok", "cancel:ok", "cancel:409", "deliver:ok", "deliver:409", "accept:ok", "accept:409", "accept replay:ok",
    "dispute:ok", "dispute:400", "dispute:409", "resolve:ok", "resolve:400", "resolve:403", "resolve:409", "resolve:RELEASE", "resolve:PARTIAL_REFUND", "resolve:FULL_REFUND",
    "close:awarded", "close:refunded", "sweep:refunded", "sweep:accepted", "mature",
  ]) {
    expect(counts[k] ?? 0, k).toBeGreaterThan(0);
  }
});
