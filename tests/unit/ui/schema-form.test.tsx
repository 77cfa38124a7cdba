import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { emptyValue, schemaCheck, type JsonSchema } from "@/components/agents/json-schema";
import { SchemaField } from "@/components/agents/schema-form";
import { packageJsonSchemas } from "@/lib/agents/define-package";
import { builtInPackages } from "@/lib/agents/registry";

// The run form is generated from each agent's input JSON Schema and reads like it:
// fields in property order, titles, descriptions, defaults, enums, nested groups.

const render = (schema: JsonSchema, value: unknown = emptyValue(schema)) =>
  renderToStaticMarkup(<SchemaField schema={schema} name="input" path="" value={value} onChange={() => {}} errors={{}} required />);

/** The controls' names (their paths) in document order, each once. */
const fieldPaths = (html: string) => [...new Set([...html.matchAll(/ name="([^"]+)"/g)].map((m) => m[1]!))];

/** The paths of the schema's properties, depth first, in property order (lists of objects start empty). */
function schemaPaths(schema: JsonSchema, prefix = ""): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...(child.type === "object" && child.properties ? schemaPaths(child, path) : [])];
  });
}

/** The opening tag of the control named `name` (attributes in any order). */
const control = (html: string, name: string) => new RegExp(`<(?:input|select|textarea)[^>]*\\bname="${name.replaceAll(".", "\\.")}"[^>]*>`).exec(html)?.[0] ?? "";

const inputSchema = (slug: string) => packageJsonSchemas(builtInPackages.find((p) => p.slug === slug)!).input as JsonSchema;

describe("generated run form", () => {
  it.each(builtInPackages.map((p) => [p.slug, p] as const))("%s: the fields come in the schema's property order", (_slug, pkg) => {
    const schema = packageJsonSchemas(pkg).input as JsonSchema;
    const paths = fieldPaths(render(schema));
    expect(paths.filter((p) => !p.includes("."))).toEqual(Object.keys(schema.properties!));
    expect(paths).toEqual(schemaPaths(schema));
  });

  it("puts Subject before Body (Ticket Resolver) and Start before End (Audit Agent)", () => {
    const ticket = render(inputSchema("ticket-resolver"));
    expect(ticket.indexOf(">Subject<")).toBeGreaterThan(-1);
    expect(ticket.indexOf(">Subject<")).toBeLessThan(ticket.indexOf(">Body<"));
    const audit = render(inputSchema("audit-agent"));
    expect(audit.indexOf(">Start<")).toBeGreaterThan(-1);
    expect(audit.indexOf(">Start<")).toBeLessThan(audit.indexOf(">End<"));
  });

  it("labels each field with its title, else the key humanised, and binds the label to the control", () => {
    const html = render({ type: "object", properties: { maxKeyAgeDays: { type: "integer" }, name: { type: "string", title: "Your name" } }, required: ["name"] });
    const label = (text: string) => new RegExp(`<label for="([^"]+)"[^>]*>${text}`).exec(html)?.[1];
    expect(label("Max key age days")).toBeDefined();
    expect(control(html, "maxKeyAgeDays")).toContain(`id="${label("Max key age days")}"`);
    expect(control(html, "maxKeyAgeDays")).toContain('type="number"');
    expect(control(html, "name")).toContain(`id="${label("Your name")}"`);
  });

  it("shows the description and the default as help text tied to the field, and pre-fills the default", () => {
    const schema: JsonSchema = { type: "object", properties: { days: { type: "integer", default: 90, description: "Oldest allowed key." } } };
    const html = render(schema);
    expect(emptyValue(schema)).toEqual({ days: 90 });
    expect(html).toMatch(/<p id="([^"]+)-hint"[^>]*>Oldest allowed key\. Default: 90\.<\/p>/);
    const hintId = /<p id="([^"]+-hint)"/.exec(html)![1]!;
    expect(control(html, "days")).toContain('value="90"');
    expect(control(html, "days")).toContain(`aria-describedby="${hintId}"`);
  });

  it("renders an enum as a select with the default chosen, and a list of enum values as checkboxes, never a JSON box", () => {
    const deploy = render(inputSchema("deployment-agent"));
    expect(deploy).toMatch(/<select[^>]*name="environment"/);
    expect(deploy).toContain('<option value="production" selected="">production</option>');
    expect(deploy).not.toContain('<option value="">');
    expect(deploy).toContain("Default: production.");

    const audit = render(inputSchema("audit-agent"));
    const controls = [...audit.matchAll(/<input type="checkbox"[^>]*name="controls"[^>]*>/g)].map((m) => /value="([^"]+)"/.exec(m[0])?.[1]);
    expect(controls).toEqual(inputSchema("audit-agent").properties!.controls!.items!.enum);
    expect(audit).toMatch(/<fieldset name="controls"[^>]*><legend[^>]*>Controls(?:<!-- -->)? <span[^>]*>\(optional\)<\/span><\/legend>/);
    expect(audit).not.toContain(">JSON<");
  });

  it("groups a nested object in a fieldset whose legend is its title, recursively", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: { outer: { type: "object", title: "Shipping", properties: { inner: { type: "object", properties: { zip: { type: "string" } }, required: ["zip"] } }, required: ["inner"] } },
      required: ["outer"],
    };
    const html = render(schema);
    expect(html).toMatch(/<fieldset name="outer"[^>]*><legend[^>]*>Shipping<\/legend>.*<fieldset name="outer\.inner"[^>]*><legend[^>]*>Inner<\/legend>.*name="outer\.inner\.zip".*<\/fieldset>.*<\/fieldset>/s);
    const ticket = render(inputSchema("ticket-resolver"));
    expect(ticket).toMatch(/<fieldset name="customer"[^>]*><legend[^>]*>Customer(?:<!-- -->)? <span[^>]*>\(optional\)<\/span><\/legend>/);
  });

  it("keeps lists of objects with Add and Remove", () => {
    const schema = inputSchema("security-scanner");
    const html = render(schema, { files: [{ path: "a.ts", content: "x" }] });
    expect(html).toContain(">Add file</button>");
    expect(html).toContain('aria-label="Remove file 1"');
    expect(control(html, "files.0.path")).toContain('value="a.ts"');
  });
});

describe("client-side check before quoting", () => {
  it.each(builtInPackages.map((p) => [p.slug, p] as const))("%s: the blank form is not quoted, the example is", (_slug, pkg) => {
    const check = schemaCheck(packageJsonSchemas(pkg).input as JsonSchema);
    const blank = emptyValue(packageJsonSchemas(pkg).input as JsonSchema);
    expect(pkg.input.safeParse(blank).success).toBe(false); // the server would answer 400…
    expect(check(blank)).toBe(false); // …so the form does not ask
    expect(check(pkg.exampleInput)).toBe(true);
  });

  it("checks types, lengths and enums, and lets a schema it cannot rebuild through to the server", () => {
    const check = schemaCheck({ type: "object", properties: { n: { type: "integer", minimum: 1 }, e: { type: "string", enum: ["a", "b"] } }, required: ["n"] });
    expect(check({ n: 2, e: "a" })).toBe(true);
    expect(check({ n: 0 })).toBe(false);
    expect(check({ n: 2, e: "c" })).toBe(false);
    expect(check({})).toBe(false);
    expect(schemaCheck({ $ref: "#/nowhere" } as JsonSchema)({})).toBe(true);
  });
});
