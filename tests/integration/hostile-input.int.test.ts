import { beforeAll, describe, expect, it } from "vitest";
import * as documentsRoute from "@/app/api/v1/documents/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { getDb } from "@/lib/db/client";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

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
