/** A JSON Schema, pretty-printed; its $refs become links to the shared schemas further down the page. */
export function SchemaBlock({ schema }: { schema: unknown }) {
  const text = JSON.stringify(schema, null, 2);
  const parts = text.split(/("#\/components\/schemas\/[A-Za-z0-9_]+")/);
  return (
    <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-slate-950 p-3 text-xs leading-relaxed text-slate-100">
      {parts.map((part, i) => {
        const ref = /^"#\/components\/schemas\/(\w+)"$/.exec(part);
        return ref ? (
          <a key={i} href={`#schema-${ref[1]}`} className="text-sky-300 underline">
            {part}
          </a>
        ) : (
          part
        );
      })}
    </pre>
  );
}
