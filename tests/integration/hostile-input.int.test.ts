import http from "node:http";
import net from "node:net";
import { PassThrough } from "node:stream";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as documentsRoute from "@/app/api/v1/documents/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { getDb } from "@/lib/db/client";
import { createLogger, setLogger } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { pdfWithText } from "../helpers/pdf";

// Input an attacker (or a broken client) sends, through the real route handlers:
// none of it is a 500, and none of it leaves a row behind.

const sink = new PassThrough();
let output = "";
sink.on("data", (d: Buffer) => (output += d.toString()));
const previousLogger = setLogger(createLogger(sink).child({}, { level: "info" }));
afterAll(() => void setLogger(previousLogger));
const logLines = () => output.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

let cookie: string;
let workspaceId: string;
beforeAll(async () => {
  const owner = await createUser("hostile", { tier: "enterprise" });
  cookie = await sessionCookie(owner.user.id);
  workspaceId = owner.workspace.id;
});

const rowsWritten = async () => ({ runs: await getDb().run.count({ where: { workspaceId } }), documents: await getDb().document.count({ where: { workspaceId } }) });
const post = (handler: typeof runsRoute.POST, path: string, body: string | FormData) => callRoute(handler, { method: "POST", path, body, headers: { cookie } });

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

describe("JSON nested deeper than anyone needs", () => {
  it.each([10_000, 100_000])("%i-deep arrays and objects are a 400 naming the limit (runs and documents, both through readJsonBody), and nothing is written", async (depth) => {
    for (const deep of [deepArray(depth), deepObject(depth)]) {
      const run = await post(runsRoute.POST, "/api/v1/runs", `{"agent":"security-scanner","input":${deep}}`);
      const doc = await post(documentsRoute.POST, "/api/v1/documents", `{"text":"notes","title":${deep}}`);
      for (const res of [run, doc]) {
        expect(res.status).toBe(400);
        expect(res.body?.error).toMatchObject({ code: "validation_failed", message: expect.stringContaining("64 levels") });
      }
    }
    expect(await rowsWritten()).toEqual({ runs: 0, documents: 0 });
  });
});

/**
 * A real HTTP server handing each request to a route handler the way Next does: the
 * Node request stream as the body, and a signal aborted when the connection closes
 * before the response is written.
 */
async function nextLikeServer(handler: typeof runsRoute.POST) {
  let handled!: (res: Response) => void;
  const response = new Promise<Response>((resolve) => (handled = resolve));
  let started!: () => void;
  const requestStarted = new Promise<void>((resolve) => (started = resolve));
  const server = http.createServer((req, res) => {
    const controller = new AbortController();
    res.on("close", () => res.writableFinished || controller.abort());
    const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    const request = new NextRequest(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req as unknown as BodyInit, duplex: "half", signal: controller.signal } as ConstructorParameters<typeof NextRequest>[1]);
    started();
    void handler(request, { params: Promise.resolve({}) }).then((r) => {
      handled(r);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as net.AddressInfo).port, requestStarted, response };
}

const requestsWith = (status: string) => metrics().httpRequests.get().then((m) => m.values.filter((v) => v.labels.route === "/api/v1/runs" && v.labels.method === "POST" && v.labels.status === status).reduce((n, v) => n + v.value, 0));

describe("a client that disconnects mid-request", () => {
  it("is logged as 'request aborted by client' at info (no stack) and counted as 499, not 500", async () => {
    const before = { aborted: await requestsWith("499"), failed: await requestsWith("500") };
    const app = await nextLikeServer(runsRoute.POST);
    const socket = net.connect(app.port, "127.0.0.1");
    // Promise a large body, send a few bytes of it, then hang up.
    socket.write(`POST /api/v1/runs HTTP/1.1\r\nhost: 127.0.0.1\r\ncookie: ${cookie}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"agent":"security-scanner","input":{"files":[`);
    await app.requestStarted;
    socket.destroy();
    const res = await app.response;
    app.server.close();

    expect(res.status).toBe(499);
    expect({ aborted: await requestsWith("499"), failed: await requestsWith("500") }).toEqual({ aborted: before.aborted + 1, failed: before.failed });
    await new Promise((resolve) => setImmediate(resolve));
    const lines = logLines().filter((l) => l.path === "/api/v1/runs" || l.route === "/api/v1/runs");
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request aborted by client", level: "info" }));
    expect(lines.filter((l) => l.level === "error" || "err" in l)).toEqual([]);
    expect(await rowsWritten()).toEqual({ runs: 0, documents: 0 });
  });
});

describe("uploads with NUL characters", () => {
  const upload = (name: string, data: Uint8Array | string, title?: string) => {
    const form = new FormData();
    form.set("file", new File([typeof data === "string" ? data : new Uint8Array(data)], name));
    if (title !== undefined) form.set("title", title);
    return post(documentsRoute.POST, "/api/v1/documents", form);
  };

  it("a NUL in the multipart title or the file name is a 400 naming the field, and no document is written", async () => {
    const badTitle = await upload("notes.txt", "Staging notes.", "Staging\u0000notes");
    const badName = await upload("notes\u0000.txt", "Staging notes.");
    expect(badTitle.status).toBe(400);
    expect(badTitle.body?.error.details.issues).toEqual([expect.objectContaining({ path: "title" })]);
    expect(badName.status).toBe(400);
    expect(badName.body?.error.details.issues).toEqual([expect.objectContaining({ path: "filename" })]);
    expect(await rowsWritten()).toEqual({ runs: 0, documents: 0 });
  });

  it("a PDF whose metadata title holds \\000 is stored with the NUL stripped (it is the document's content, not the caller's mistake)", async () => {
    // "@@@@" and "\000" have the same length, so the PDF's byte offsets stay right.
    const pdf = new TextDecoder().decode(pdfWithText(["Quarterly figures"], "Q3@@@@report")).replace("@@@@", "\\000");
    const res = await upload("q3.pdf", pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: "Q3report", format: "PDF" });
    await getDb().document.delete({ where: { id: (res.body as unknown as { id: string }).id } });
  });
});
