import { describe, expect, it } from "vitest";
import { readJsonBody } from "@/lib/http/body";
import { ApiError } from "@/lib/http/errors";

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://test.local/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

async function codeOf(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return { code: (err as ApiError).code, status: (err as ApiError).status };
}

describe("readJsonBody", () => {
  it("parses JSON within the limit", async () => {
    expect(await readJsonBody(post('{"a":1}'), 100)).toEqual({ a: 1 });
  });

  it("refuses a declared Content-Length over the limit with 413", async () => {
    expect(await codeOf(readJsonBody(post("{}", { "content-type": "application/json", "content-length": "5000" }), 100))).toEqual({
      code: "payload_too_large",
      status: 413,
    });
  });

  it("refuses a streamed body over the limit even without a Content-Length", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("x".repeat(50)));
        c.close();
      },
    });
    expect((await codeOf(readJsonBody(post(stream), 100))).status).toBe(413);
  });

  it("answers malformed JSON with 400 invalid_json", async () => {
    expect(await codeOf(readJsonBody(post('{"a":'), 100))).toEqual({ code: "invalid_json", status: 400 });
  });

  it("answers a non-JSON content type with 415", async () => {
    expect((await codeOf(readJsonBody(post("a=1", { "content-type": "application/x-www-form-urlencoded" }), 100))).status).toBe(415);
  });

  it("refuses text with NUL characters (binary data) with a 400 naming the field", async () => {
    const err = await readJsonBody(post(JSON.stringify({ input: { files: [{ path: "a", content: "x\u0000y" }] } })), 1_000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "validation_failed", status: 400, details: { issues: [{ path: "input.files.0.content" }] } });
  });
});
