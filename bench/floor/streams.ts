import type http from "node:http";

// The floor's run events, in memory: each run's events in order, written as SSE
// the way Agora's /runs/:id/events writes its transcript (`id: seq`, `event:
// type`, the event as data), to whoever follows the run with the key that
// started it. A run's events are dropped a while after it ended.

const KEEP_ENDED_MS = 60_000;

type RunEvent = { seq: number; type: string; data: unknown; createdAt: string };
type Entry = { keyHash: string; events: RunEvent[]; ended: boolean; readers: Set<() => void> };

export function runStreams() {
  const runs = new Map<string, Entry>();

  return {
    open(runId: string, keyHash: string) {
      runs.set(runId, { keyHash, events: [], ended: false, readers: new Set() });
    },

    push(runId: string, type: string, data: unknown) {
      const run = runs.get(runId);
      if (!run) return;
      run.events.push({ seq: run.events.length + 1, type, data, createdAt: new Date().toISOString() });
      if (type === "usage") {
        run.ended = true;
        setTimeout(() => runs.delete(runId), KEEP_ENDED_MS).unref();
      }
      for (const wake of run.readers) wake();
    },

    /**
     * Writes the run's events from the start (or after Last-Event-ID) until its `usage` event.
     * `created`: the run a streamed POST just created, sent first (as Agora's POST /runs does).
     */
    serve(runId: string, keyHash: string, req: http.IncomingMessage, res: http.ServerResponse, created?: unknown) {
      const run = runs.get(runId);
      if (!run || run.keyHash !== keyHash) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found" } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...(created !== undefined && { "agora-run-id": runId, location: `/api/v1/runs/${runId}` }) });
      res.write("retry: 2000\n\n");
      if (created !== undefined) res.write(`event: run\ndata: ${JSON.stringify(created)}\n\n`);
      let sent = created === undefined ? Number(req.headers["last-event-id"] ?? 0) || 0 : 0;
      const flush = () => {
        for (const e of run.events.slice(sent)) res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        sent = run.events.length;
        if (run.ended) finish();
      };
      const finish = () => {
        run.readers.delete(flush);
        res.end();
      };
      run.readers.add(flush);
      res.on("close", () => run.readers.delete(flush));
      flush();
    },
  };
}
