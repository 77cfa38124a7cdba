import { beforeAll, describe, expect, it } from "vitest";
import * as documentRoute from "@/app/api/v1/documents/[id]/route";
import * as documentsRoute from "@/app/api/v1/documents/route";
import * as searchRoute from "@/app/api/v1/documents/search/route";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { createDocument, searchDocuments } from "@/lib/knowledge/documents";
import { demoDocuments } from "@/lib/knowledge/demo-documents";
import { extractFromPaste } from "@/lib/knowledge/extract-text";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { pdfWithText } from "../helpers/pdf";

// The knowledge base through its real route handlers and PostgreSQL full-text search.

type Doc = { id: string; title: string; source: string; format: string; chunkCount: number; createdBy: string | null; chunks: { id: string; seq: number; heading: string; text: string }[] };
type Hit = { documentId: string; documentTitle: string; chunkId: string; chunkSeq: number; heading: string; snippet: string; highlights: [number, number][] };

let auth: Record<string, string>;
let other: Record<string, string>;
let workspaceId: string;
beforeAll(async () => {
  const a = await createUser("kb-a");
  auth = { cookie: await sessionCookie(a.user.id) };
  workspaceId = a.workspace.id;
  const b = await createUser("kb-b");
  other = { authorization: `Bearer ${(await createApiKey(b.principal, { name: "kb" })).secret}` };
});

const paste = (body: unknown, headers = auth) => callRoute(documentsRoute.POST, { method: "POST", path: "/api/v1/documents", body: JSON.stringify(body), headers });

function upload(name: string, data: Uint8Array | string, title?: string, headers = auth) {
  const form = new FormData();
  form.set("file", new File([typeof data === "string" ? data : new Uint8Array(data)], name));
  if (title) form.set("title", title);
  return callRoute(documentsRoute.POST, { method: "POST", path: "/api/v1/documents", body: form, headers });
}

const search = (q: string, headers = auth) => callRoute(searchRoute.GET, { path: `/api/v1/documents/search?q=${encodeURIComponent(q)}`, headers });
const documentCount = () => getDb().document.count({ where: { workspaceId } });

describe("documents API", () => {
  it("creates a document from pasted markdown, cut into chunks with their headings", async () => {
    const res = await paste({ text: "# Refund policy\n\nAnnual plans are refunded within 30 days.\n\n## Exceptions\n\nNo refunds on monthly plans." });
    expect(res.status).toBe(201);
    const doc = res.body as unknown as Doc;
    expect(doc).toMatchObject({ title: "Refund policy", source: "pasted", format: "MARKDOWN", chunkCount: 1, createdBy: "kb-a" });
    expect(doc.chunks).toEqual([expect.objectContaining({ seq: 1, heading: "Refund policy", text: expect.stringContaining("No refunds on monthly plans.") })]);
  });

  it("uploads .md, .txt, .html and .pdf files, converting each to text", async () => {
    const md = await upload("runbook.md", "# Cache runbook\n\nFlush the cache with `cache flush`.");
    expect(md.body).toMatchObject({ title: "Cache runbook", format: "MARKDOWN", source: "runbook.md" });
    const txt = await upload("notes.txt", "Plain notes about the staging cluster.", "Staging notes");
    expect(txt.body).toMatchObject({ title: "Staging notes", format: "TEXT" });
    const html = await upload("page.html", "<html><head><title>Escalation</title><script>steal()</script></head><body><h1>Escalation</h1><p>Call the <b>duty manager</b>.</p></body></html>");
    expect(html.status).toBe(201);
    expect(html.body).toMatchObject({ title: "Escalation", format: "HTML" });
    expect((html.body as unknown as Doc).chunks[0]!.text).toBe("# Escalation\n\nCall the duty manager.");
    const pdf = await upload("sla.pdf", pdfWithText(["Service levels", "Uptime target is 99.95 percent per month."]));
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({ title: "sla", format: "PDF" });
    expect((pdf.body as unknown as Doc).chunks[0]!.text).toContain("Uptime target is 99.95 percent per month.");
  });

  it("refuses oversized, empty, binary, unsupported and broken uploads with a clear 4xx and writes nothing", async () => {
    const before = await documentCount();
    const limit = env().AGORA_DOCUMENT_MAX_BYTES;
    const big = await upload("big.txt", "a".repeat(limit + 1));
    expect(big.status).toBe(413);
    expect(big.body!.error.code).toBe("payload_too_large");
    const bigPaste = await paste({ text: "b".repeat(limit + 10) });
    expect(bigPaste.status).toBe(413);
    expect((await paste({ text: "   " })).body!.error.details.issues[0]!.path).toBe("text");
    expect((await upload("logo.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).status).toBe(415);
    const fakePdf = await upload("report.pdf", "this is not a pdf");
    expect(fakePdf.status).toBe(400);
    expect(fakePdf.body!.error.message).toMatch(/not a readable PDF/);
    expect((await upload("blob.txt", new Uint8Array([0x41, 0x00, 0x42]))).body!.error.message).toMatch(/binary/);
    expect((await upload("empty.md", "")).status).toBe(400);
    const noFile = new FormData();
    noFile.set("title", "x");
    expect((await callRoute(documentsRoute.POST, { method: "POST", body: noFile, headers: auth })).body!.error.details.issues[0]!.path).toBe("file");
    expect(await documentCount()).toBe(before);
  });

  it("lists newest first with a cursor, shows one document, and deletes it with its chunks", async () => {
    const first = await callRoute(documentsRoute.GET, { path: "/api/v1/documents?limit=2", headers: auth });
    const page1 = first.body as unknown as { data: Doc[]; nextCursor: string };
    expect(page1.data).toHaveLength(2);
    const second = await callRoute(documentsRoute.GET, { path: `/api/v1/documents?limit=2&cursor=${page1.nextCursor}`, headers: auth });
    const page2 = second.body as unknown as { data: Doc[] };
    expect(page2.data.map((d) => d.id)).not.toContain(page1.data[0]!.id);

    const target = page1.data[0]!;
    const shown = await callRoute(documentRoute.GET, { params: { id: target.id }, headers: auth });
    expect((shown.body as unknown as Doc).chunks.length).toBe(target.chunkCount);
    const deleted = await callRoute(documentRoute.DELETE, { method: "DELETE", params: { id: target.id }, headers: auth });
    expect(deleted.status).toBe(204);
    expect(await getDb().documentChunk.count({ where: { documentId: target.id } })).toBe(0);
    expect((await callRoute(documentRoute.GET, { params: { id: target.id }, headers: auth })).status).toBe(404);
  });

  it("keeps workspaces apart: another workspace cannot see, search or delete a document", async () => {
    const doc = (await paste({ title: "Secret plan", text: "Project zebracorn launches in March." })).body as unknown as Doc;
    expect((await callRoute(documentRoute.GET, { params: { id: doc.id }, headers: other })).status).toBe(404);
    expect((await callRoute(documentRoute.DELETE, { method: "DELETE", params: { id: doc.id }, headers: other })).status).toBe(404);
    expect(((await search("zebracorn", other)).body as unknown as { data: Hit[] }).data).toEqual([]);
    const own = (await search("zebracorn")).body as unknown as { data: Hit[] };
    expect(own.data.map((h) => h.documentId)).toEqual([doc.id]);
    const list = (await callRoute(documentsRoute.GET, { headers: other })).body as unknown as { data: Doc[] };
    expect(list.data.map((d) => d.id)).not.toContain(doc.id);
  });

  it("returns snippets whose highlights mark the matched words", async () => {
    const res = await search("refunded annual");
    const hit = (res.body as unknown as { data: Hit[] }).data[0]!;
    expect(hit.documentTitle).toBe("Refund policy");
    const marked = hit.highlights.map(([a, b]) => hit.snippet.slice(a, b).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(["annual", "refunded"]));
    expect((await search("")).status).toBe(400);
    expect(((await search("the and of")).body as unknown as { data: Hit[] }).data).toEqual([]); // only stop words
  });
});

describe("search quality on the seeded documents", () => {
  let ws: string;
  beforeAll(async () => {
    const { user, workspace } = await createUser("kb-quality");
    ws = workspace.id;
    for (const d of demoDocuments) await createDocument(getDb(), { workspaceId: ws, userId: user.id }, { extracted: extractFromPaste(d.text), source: d.source, sizeBytes: d.text.length });
  });

  it.each([
    ["how do I reset my password", "Acme Analytics — Product FAQ"],
    ["sorry, too many clients already", "Runbook: database connection pool exhausted"],
    ["who gets paged at night if the primary does not acknowledge", "On-call policy"],
    ["canary rollout thresholds before promoting to 100%", "Deploy checklist"],
    ["checkout returns 504 from the payment provider", "Runbook: payment gateway timeouts at checkout"],
  ])("%s → %s", async (query, title) => {
    const hits = await searchDocuments(getDb(), ws, query);
    expect(hits[0]?.documentTitle).toBe(title);
  });
});
