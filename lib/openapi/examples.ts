// A small example value for a JSON Schema of the API description: the required properties only, each with
// its enum's first value, its default or its minimum, for the docs page's curl examples (/docs/api).

type Schema = Record<string, unknown>;

export function exampleOf(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (typeof schema.$ref === "string") return exampleOf(components[schema.$ref.split("/").pop()!], components, depth + 1);
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return exampleOf(union.find((s) => s.type !== "null") ?? union[0], components, depth + 1);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Schema[]).map((s) => exampleOf(s, components, depth + 1)));
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((name) => [name, exampleOf(properties[name], components, depth + 1)]));
    }
    case "array":
      return [];
    case "string":
      return schema.format === "email" ? "you@example.com" : typeof schema.minLength === "number" && schema.minLength > 8 ? "x".repeat(schema.minLength) : "string";
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    default:
      return {};
  }
}
