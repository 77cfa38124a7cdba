import { z } from "zod";

// The slice of JSON Schema (as zod's toJSONSchema writes it) that the run form understands.
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  title?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  default?: unknown;
};

const LONG_TEXT = new Set(["content", "csv", "instructions", "body", "logs", "text", "question", "data", "manifest", "events", "goal", "context", "ticket", "alert"]);

export type FieldKind = "enum" | "enumList" | "boolean" | "number" | "text" | "longtext" | "object" | "objectList" | "stringList" | "json";

/** How the form edits a value of this schema; anything it cannot model is edited as JSON. */
export function fieldKind(schema: JsonSchema, name: string): FieldKind {
  if (schema.enum) return "enum";
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "boolean") return "boolean";
  if (type === "number" || type === "integer") return "number";
  if (type === "string") {
    // Long text: a text-ish name (content, csv…) that may exceed 200 characters, or any string bounded above 500.
    const max = schema.maxLength;
    const long = LONG_TEXT.has(name) ? (max ?? Infinity) > 200 : max !== undefined && max > 500;
    return long ? "longtext" : "text";
  }
  if (type === "object" && schema.properties) return "object";
  if (type === "array" && schema.items) {
    if (schema.items.type === "object" && schema.items.properties && Object.values(schema.items.properties).every((p) => fieldKind(p, "") !== "json")) return "objectList";
    if (schema.items.enum) return "enumList";
    if (schema.items.type === "string") return "stringList";
  }
  return "json";
}

/** An empty value for a schema, for "Add" buttons and blank forms. */
export function emptyValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  switch (fieldKind(schema, "")) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([k, s]) => schema.required?.includes(k) || s.default !== undefined)
          .map(([k, s]) => [k, emptyValue(s)]),
      );
    case "objectList":
    case "stringList":
      return [];
    case "boolean":
      return false;
    case "enum":
      return schema.enum?.[0];
    case "number":
    case "enumList":
    case "json":
      return undefined;
    default:
      return "";
  }
}

/** Items that look like files ({ path|name, content }) can be filled by dropping files. */
export function fileShape(items: JsonSchema | undefined): { nameKey: string } | null {
  const props = items?.properties;
  if (!props?.content) return null;
  const nameKey = ["path", "name", "filename", "title"].find((k) => props[k]);
  return nameKey ? { nameKey } : null;
}

/** A default worth telling the user about ("Default: production"); empty strings, lists and objects are not. */
export function defaultText(schema: JsonSchema): string | null {
  const d = schema.default;
  if (d === undefined || d === "" || (typeof d === "object" && (d === null || Object.keys(d).length === 0))) return null;
  return typeof d === "object" ? JSON.stringify(d) : String(d);
}

/**
 * Whether a value satisfies the schema, checked with zod rebuilt from the same JSON
 * Schema the server's zod schema wrote (required fields, types, lengths, enums).
 * A schema it cannot rebuild lets every value through: the server still decides.
 */
export function schemaCheck(schema: JsonSchema): (value: unknown) => boolean {
  try {
    const parser = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    return (value) => parser.safeParse(value).success;
  } catch {
    return () => true;
  }
}
