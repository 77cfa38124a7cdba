import { beforeAll, describe, expect, it } from "vitest";
import * as documentsRoute from "@/app/api/v1/documents/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";
import { pdfWithText } from "../helpers/pdf";

// Input an attacker (or a broken client) sends, through the real route handlers:
// none of it is a 500, and none of it leaves a row behind.

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
