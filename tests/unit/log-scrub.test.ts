import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/observability/log";

// Secret-bearing fields are redacted in the walk that scrubs every string, at
// any depth that walk reaches — not by pino's `redact` paths (which copied each
// logged object and stopped two levels down).

describe("log field redaction", () => {
  it("redacts a secret field however deep the logged object nests it, and keeps the rest", async () => {
    let output = "";
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((output += chunk.toString()), done()) });
    createLogger(sink).warn({ request: { body: { user: { password: "hunter2-horse", name: "Ada" } } }, headers: [{ cookie: "sid=1" }], apiKey: "k" }, "nested");
    await new Promise((r) => setImmediate(r));
    expect(output).not.toContain("hunter2-horse");
    expect(JSON.parse(output)).toMatchObject({ msg: "nested", request: { body: { user: { password: "[redacted]", name: "Ada" } } }, headers: [{ cookie: "[redacted]" }], apiKey: "[redacted]" });
  });
});
