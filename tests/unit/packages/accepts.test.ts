import { describe, expect, it } from "vitest";
import { packageJsonSchemas } from "@/lib/agents/define-package";
import { builtInPackages } from "@/lib/agents/registry";
import { acceptedData } from "@/lib/packages/accepts";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";

// "Accepts my data": the kinds derived from input JSON Schemas.

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });

describe("acceptedData", () => {
  it("derives each built-in's kinds from its input schema", () => {
    const derived = Object.fromEntries(builtInPackages.map((p) => [p.slug, acceptedData(packageJsonSchemas(p).input)]));
    expect(derived).toEqual({
      "security-scanner": ["files"],
      "data-processor": ["csv", "text"], // csv, and free-text instructions
      "report-generator": ["csv", "json", "text"], // data "as CSV or JSON text", a question
      "knowledge-base": ["text"],
      "ticket-resolver": ["text"],
      "incident-responder": ["json", "text"], // a free-form alert object, logs
      "escalation-manager": ["text"], // ticket.body and context, nested
      "deployment-agent": ["yaml"], // a manifest; the environment is an enum
      "audit-agent": ["text"], // events; controls are enums, options are numbers
      "workflow-orchestrator": ["json", "text"], // each step's free-form input, the goal
    });
  });

  it("the example manifest takes CSV", () => {
    expect(acceptedData(EXAMPLE_MANIFEST.inputSchema)).toEqual(["csv"]);
  });

  it.each([
    ["a csv property", object({ csv: { type: "string" } }), ["csv"]],
    ["a TSV described", object({ table: { type: "string", description: "Tab-separated values (TSV)" } }), ["csv"]],
    ["text/csv media type", object({ upload: { type: "string", contentMediaType: "text/csv" } }), ["csv"]],
    ["application/json media type", object({ doc: { type: "string", contentMediaType: "application/json" } }), ["json"]],
    ["format json", object({ doc: { type: "string", format: "json" } }), ["json"]],
    ["a json-named string", object({ jsonPayload: { type: "string", description: "A JSON document" } }), ["json"]],
    ["application/yaml media type", object({ spec: { type: "string", contentMediaType: "application/yaml" } }), ["yaml"]],
    ["a yaml-named string", object({ config_yaml: { type: "string", title: "Config (YAML)" } }), ["yaml"]],
    ["a base64 file", object({ pdf: { type: "string", contentEncoding: "base64", contentMediaType: "application/pdf" } }), ["files"]],
    ["binary format", object({ blob: { type: "string", format: "binary" } }), ["files"]],
    ["an array of {name, data}", object({ attachments: { type: "array", items: object({ name: { type: "string" }, data: { type: "string" } }) } }), ["files"]],
    ["an array of files by name", object({ files: { type: "array", items: { type: "string" } } }), ["files"]],
    ["a free-form object", object({ payload: { type: "object", additionalProperties: true } }), ["json"]],
    ["an object with no properties", object({ payload: { type: "object" } }), ["json"]],
    ["a long free string", object({ body: { type: "string", maxLength: 50_000 } }), ["text"]],
    ["an unbounded free string", object({ notes: { type: "string" } }), ["text"]],
    ["text/markdown media type", object({ doc: { type: "string", contentMediaType: "text/markdown" } }), ["text"]],
    ["nested text", object({ ticket: object({ body: { type: "string" } }) }), ["text"]],
    ["an alternative holding csv", object({ source: { oneOf: [{ type: "string", contentMediaType: "text/csv" }, { type: "string", format: "uri" }] } }), ["csv"]],
    ["a type list with string", object({ note: { type: ["string", "null"] } }), ["text"]],
    ["several kinds, in a fixed order", object({ notes: { type: "string" }, files: { type: "array", items: object({ path: { type: "string" }, content: { type: "string" } }) }, csv: { type: "string" } }), ["csv", "files", "text"]],
  ])("%s", (_name, schema, kinds) => {
    expect(acceptedData(schema)).toEqual(kinds);
  });

  it.each([
    ["short strings (a name, an e-mail)", object({ name: { type: "string", maxLength: 200 }, email: { type: "string", format: "email" } })],
    ["enums and consts", object({ mode: { type: "string", enum: ["a", "b"] }, op: { type: "string", const: "x" } })],
    ["patterns, dates, URIs", object({ id: { type: "string", pattern: "^[a-z]+$" }, at: { type: "string", format: "date-time" }, url: { type: "string", format: "uri" } })],
    ["numbers and booleans", object({ n: { type: "integer" }, ok: { type: "boolean" } })],
    ["a list of short strings", object({ columns: { type: "array", items: { type: "string", maxLength: 200 } } })],
    ["a closed object of short fields", object({ customer: object({ name: { type: "string", maxLength: 100 } }, { additionalProperties: false }) })],
    ["not a schema", null],
    ["a string schema at the top", "csv"],
  ])("nothing from %s", (_name, schema) => {
    expect(acceptedData(schema)).toEqual([]);
  });
});
