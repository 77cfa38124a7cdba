import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as eventsRoute from "@/app/api/v1/runs/[id]/events/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { env } from "@/lib/env";
import { acceptRun } from "@/lib/runs/accept-run";
import { cancelRun } from "@/lib/runs/cancel-run";
import { createUser, setWallet } from "../helpers/factories";
import { scannerInput, testExecutor } from "../helpers/run-harness";

// Open run event streams are capped per API key and per workspace (429 beyond),
// and a stream that ends, however it ends, gives its slot back.

const saved = { ...env() };
afterEach(() => Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: saved.AGORA_MAX_STREAMS_PER_KEY, AGORA_MAX_STREAMS_PER_WORKSPACE: saved.AGORA_MAX_STREAMS_PER_WORKSPACE }));

type ErrorBody = { error: { code: string; message: string; details: { dimension: string; limit: number } } };

describe("run event streams", () => {
  it("at most N per API key and per workspace: the next is a 429 naming the limit, and closing one frees its slot", async () => {
    Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: 2, AGORA_MAX_STREAMS_PER_WORKSPACE: 3 });
    const owner = await createUser("sse-caps", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 10_000_000n);
    const stalled = testExecutor({ works: false }); // the run stays QUEUED: its streams stay open
    const { run } = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    const [keyA, keyB] = await Promise.all([createApiKey(owner.principal, { name: "a" }), createApiKey(owner.principal, { name: "b" })]);
    const opened: { res: Response; abort: AbortController }[] = [];
    const open = async (secret: string) => {
      const abort = new AbortController();
      const req = new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${run.id}/events`, { headers: { authorization: `Bearer ${secret}` }, signal: abort.signal });
      const res = await eventsRoute.GET(req, { params: Promise.resolve({ id: run.id }) });
      if (res.status === 200) opened.push({ res, abort });
      return res;
    };
    const refusal = async (res: Response) => ({ status: res.status, retryAfter: res.headers.get("retry-after"), ...((await res.json()) as ErrorBody).error });

    try {
      expect((await open(keyA.secret)).status).toBe(200);
      expect((await open(keyA.secret)).status).toBe(200);
      expect(await refusal(await open(keyA.secret))).toMatchObject({ status: 429, code: "rate_limited", message: expect.stringMatching(/^This API key already has 2 run event streams open/), details: { dimension: "concurrent_streams", limit: 2 } });
      expect((await open(keyB.secret)).status).toBe(200);
      expect(await refusal(await open(keyB.secret))).toMatchObject({ status: 429, message: expect.stringMatching(/^This workspace already has 3 run event streams open/), details: { limit: 3 } });

      // The client goes away (Next aborts the request): key A's slot and the workspace's come back.
      opened[0]!.abort.abort();
      await vi.waitFor(async () => expect((await open(keyA.secret)).status).toBe(200), { timeout: 20_000, interval: 100 });
      expect((await open(keyB.secret)).status).toBe(429);
      // The client cancels its read of the body instead: the same.
      await opened[1]!.res.body!.cancel();
      await vi.waitFor(async () => expect((await open(keyB.secret)).status).toBe(200), { timeout: 20_000, interval: 100 });
    } finally {
      for (const s of opened) s.abort.abort();
      await cancelRun(owner.workspace.id, run.id, stalled);
    }
  });

  it("a stream that ends with its run frees its slot", async () => {
    Object.assign(env(), { AGORA_MAX_STREAMS_PER_KEY: 1 });
    const owner = await createUser("sse-ends", { tier: "enterprise" });
    await setWallet(owner.workspace.id, 10_000_000n);
    const stalled = testExecutor({ works: false });
    const { run } = await acceptRun(owner.principal, { agent: "security-scanner", input: scannerInput }, { executor: stalled });
    const { secret } = await createApiKey(owner.principal, { name: "k" });
    const get = () => eventsRoute.GET(new NextRequest(`http://127.0.0.1:3999/api/v1/runs/${run.id}/events`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({ id: run.id }) });
    const first = await get();
    expect(first.status).toBe(200);
    expect((await get()).status).toBe(429);
    await cancelRun(owner.workspace.id, run.id, stalled); // the run ends: its stream sends the rest and closes
    await first.text();
    await vi.waitFor(async () => {
      const again = await get();
      expect(again.status).toBe(200);
      await again.text(); // an ended run's stream closes after replaying
    }, { timeout: 20_000, interval: 100 });
  });
});
