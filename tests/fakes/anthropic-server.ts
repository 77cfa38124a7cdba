import http from "node:http";
import type { AddressInfo } from "node:net";

// A local stand-in for the Anthropic Messages API, scripted per test. It speaks
// the real wire format so the real SDK is exercised: JSON responses, SSE
// streams (message_start … message_stop, ping, text and tool_use blocks with
// input_json_delta, cumulative usage in message_delta), HTTP errors with
// retry-after, an `error` event after a 200, and slow or stalled streams.

export type FakeBlock = { type: "text"; text: string } | { type: "tool_use"; id?: string; name: string; input: unknown };

export type FakeReply =
  | { kind: "message"; blocks: FakeBlock[]; usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number }; stopReason?: string; delayMs?: number }
  | { kind: "http_error"; status: number; type: string; message?: string; retryAfterSeconds?: number }
  | { kind: "stream_error"; blocks: FakeBlock[]; usage?: { input: number; output: number }; type?: string }
  | { kind: "stall"; blocks: FakeBlock[] };

export type FakeAnthropic = {
  url: string;
  /** Replies served in order; the last one repeats when the script runs out. */
  script(...replies: FakeReply[]): void;
  /** Replies chosen per request from its body instead (e.g. by whether the conversation already holds a tool result). */
  scriptBy(choose: (body: Record<string, unknown>) => FakeReply): void;
  requests: { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[];
  close(): Promise<void>;
};

const sse = (res: http.ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [""];
}

function toolId(block: Extract<FakeBlock, { type: "tool_use" }>, i: number) {
  return block.id ?? `toolu_fake_${i.toString().padStart(4, "0")}`;
}

async function streamBlocks(res: http.ServerResponse, blocks: FakeBlock[], delayMs: number) {
  for (const [index, block] of blocks.entries()) {
    if (block.type === "text") {
      sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of chunk(block.text, 8)) {
        sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
        if (delayMs) await sleep(delayMs);
      }
    } else {
      sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: toolId(block, index), name: block.name, input: {} } });
      for (const piece of chunk(JSON.stringify(block.input), 12)) {
        sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: piece } });
      }
    }
    sse(res, "content_block_stop", { type: "content_block_stop", index });
  }
}

function messageStart(model: string, input: number, extra: { cacheRead?: number; cacheWrite?: number } = {}) {
  return {
    type: "message_start",
    message: {
      id: `msg_fake_${Date.now()}`,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: input, output_tokens: 1, cache_creation_input_tokens: extra.cacheWrite ?? 0, cache_read_input_tokens: extra.cacheRead ?? 0 },
    },
  };
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  let replies: FakeReply[] = [{ kind: "message", blocks: [{ type: "text", text: "ok" }] }];
  let choose: ((body: Record<string, unknown>) => FakeReply) | undefined;
  const requests: FakeAnthropic["requests"] = [];
  const open = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ path: req.url ?? "", headers: req.headers, body });
    const reply = choose ? choose(body) : replies.length > 1 ? replies.shift()! : replies[0]!;
    const model = String(body.model ?? "claude-fake");
    open.add(res);
    res.on("close", () => open.delete(res));

    if (reply.kind === "http_error") {
      const headers: Record<string, string> = { "content-type": "application/json", "request-id": "req_fake" };
      if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
      res.writeHead(reply.status, headers);
      res.end(JSON.stringify({ type: "error", error: { type: reply.type, message: reply.message ?? reply.type } }));
      return;
    }

    const usage = "usage" in reply && reply.usage ? reply.usage : { input: 10, output: 5 };
    if (!body.stream) {
      const content = (reply.kind === "message" ? reply.blocks : []).map((b, i) => (b.type === "text" ? b : { type: "tool_use", id: toolId(b, i), name: b.name, input: b.input }));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...messageStart(model, usage.input).message, content, stop_reason: "end_turn", usage: { input_tokens: usage.input, output_tokens: usage.output } }));
      return;
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    sse(res, "message_start", messageStart(model, usage.input, reply.kind === "message" ? reply.usage : undefined));
    sse(res, "ping", { type: "ping" });
    if (reply.kind === "stall") {
      await streamBlocks(res, reply.blocks, 0);
      return; // never ends: the client's timeout or abort must cope
    }
    await streamBlocks(res, reply.blocks, reply.kind === "message" ? (reply.delayMs ?? 0) : 0);
    if (reply.kind === "stream_error") {
      sse(res, "message_delta", { type: "message_delta", delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: usage.output } });
      sse(res, "error", { type: "error", error: { type: reply.type ?? "overloaded_error", message: "Overloaded" } });
      res.end();
      return;
    }
    const stopReason = reply.stopReason ?? (reply.blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
    sse(res, "message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output } });
    sse(res, "message_stop", { type: "message_stop" });
    res.end();
  });

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script: (...next) => {
      replies = next;
      choose = undefined;
    },
    scriptBy: (fn) => {
      choose = fn;
    },
    requests,
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
