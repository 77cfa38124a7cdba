import { describe, expect, it } from "vitest";
import { emptyValue, fieldKind, fileShape, type JsonSchema } from "@/components/agents/json-schema";
import { transcript, type RunEvent } from "@/components/runs/run-types";
import { packageJsonSchemas } from "@/lib/agents/define-package";
import { dataProcessor } from "@/lib/agents/data-processor/package";
import { securityScanner } from "@/lib/agents/security-scanner/package";

describe("the run form's reading of JSON Schema", () => {
  it("maps the built-in packages' inputs to form fields", () => {
    const scanner = packageJsonSchemas(securityScanner).input as JsonSchema;
    expect(fieldKind(scanner, "input")).toBe("object");
    expect(fieldKind(scanner.properties!.files!, "files")).toBe("objectList");
    expect(fileShape(scanner.properties!.files!.items)).toEqual({ nameKey: "path" });
    expect(fieldKind(scanner.properties!.files!.items!.properties!.content!, "content")).toBe("longtext");
    expect(emptyValue(scanner)).toEqual({ files: [] });

    const data = packageJsonSchemas(dataProcessor).input as JsonSchema;
    expect(fieldKind(data.properties!.csv!, "csv")).toBe("longtext");
    expect(fieldKind(data.properties!.steps!, "steps")).toBe("json"); // a union of step shapes: edited as JSON
  });

  it("handles the scalar kinds", () => {
    expect(fieldKind({ type: "string", enum: ["a", "b"] }, "x")).toBe("enum");
    expect(fieldKind({ type: "boolean" }, "x")).toBe("boolean");
    expect(fieldKind({ type: "integer" }, "x")).toBe("number");
    expect(fieldKind({ type: "string", maxLength: 50 }, "name")).toBe("text");
    expect(fieldKind({ type: "string" }, "name")).toBe("text"); // unbounded, but not a text-ish name
    expect(fieldKind({ type: "string", maxLength: 4_000 }, "notes")).toBe("longtext");
    expect(fieldKind({ type: "array", items: { type: "string" } }, "tags")).toBe("stringList");
    expect(fieldKind({}, "anything")).toBe("json");
  });
});

describe("transcript", () => {
  const ev = (seq: number, type: RunEvent["type"], data: Record<string, unknown>): RunEvent => ({ seq, type, data, at: "2026-11-23T00:00:00Z" });
  it("merges text, pairs tool calls with results, and keeps retries and errors", () => {
    const items = transcript([
      ev(1, "status", { status: "QUEUED" }),
      ev(2, "text", { text: "Scan" }),
      ev(3, "text", { text: "ning." }),
      ev(4, "tool_call", { id: "t1", name: "scan_secrets", input: { files: [] } }),
      ev(5, "status", { status: "RUNNING", retry: { attempt: 1, delayMs: 200, reason: "Overloaded" } }),
      ev(6, "tool_result", { id: "t1", name: "scan_secrets", ok: true, result: [], durationMs: 3 }),
      ev(7, "error", { code: "timeout", message: "Too slow." }),
    ]);
    expect(items.map((i) => i.kind)).toEqual(["text", "tool", "retry", "error"]);
    const answered = transcript([ev(1, "text", { text: "Looking." }), ev(2, "tool_call", { id: "t", name: "x", input: {} }), ev(3, "text", { text: '{"a":' }), ev(4, "text", { text: "1}" }), ev(5, "output", { output: { a: 1 } })]);
    expect(answered.map((i) => i.kind)).toEqual(["text", "tool", "answer"]);
    expect(answered[2]).toMatchObject({ text: '{"a":1}' });
    expect(items[0]).toMatchObject({ text: "Scanning." });
    expect(items[1]).toMatchObject({ name: "scan_secrets", result: { ok: true, durationMs: 3 } });
  });

  it("a resumed run: the note, and a call asked for again gets its result (the one cut short stays open)", () => {
    const items = transcript([
      ev(1, "tool_call", { id: "t1", name: "scan_secrets", input: {} }),
      ev(2, "resumed", { attempt: 1 }),
      ev(3, "tool_call", { id: "t1", name: "scan_secrets", input: {} }),
      ev(4, "tool_result", { id: "t1", name: "scan_secrets", ok: true, result: [], durationMs: 2 }),
    ]);
    expect(items.map((i) => i.kind)).toEqual(["tool", "resumed", "tool"]);
    expect(items[0]).not.toHaveProperty("result");
    expect(items[2]).toMatchObject({ result: { ok: true, durationMs: 2 } });
  });
});
