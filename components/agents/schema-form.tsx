"use client";

import { useId, useState, type DragEvent, type ReactNode } from "react";
import { humanize } from "@/components/ui/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { defaultText, emptyValue, fieldKind, fileShape, type JsonSchema } from "./json-schema";

// A form generated from a package's input JSON Schema, fields in the schema's
// property order, each with its title (or the key, humanised), description and
// default: strings, long text (with a text-file drop), numbers, booleans, enums
// (a select), lists of enum values (checkboxes), nested objects (a fieldset),
// lists of objects (with a multi-file drop when the items look like files) and
// string lists. Whatever the schema says that this form cannot model is edited as JSON.
// Every control is named by its path (`ticket.subject`), as the API reports errors.

export type FieldErrors = Record<string, string>;
type Props = { schema: JsonSchema; value: unknown; onChange: (v: unknown) => void; errors: FieldErrors; path: string; name: string; required?: boolean };

const inputClass = (error?: string) =>
  cn(
    "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset",
    error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-brand-500",
  );


/** Errors at or below a path (the API reports e.g. `files.0.path`). */
const errorAt = (errors: FieldErrors, path: string) => errors[path];
const errorsBelow = (errors: FieldErrors, path: string) => Object.entries(errors).filter(([k]) => k.startsWith(`${path}.`)).map(([, v]) => v);

function readFiles(files: FileList): Promise<{ name: string; text: string }[]> {
  return Promise.all([...files].map(async (f) => ({ name: f.name, text: await f.text() })));
}

/** " (optional)" after a field's title; the space is text, so the accessible name reads "Title (optional)". */
function Optional() {
  return (
    <>
      {" "}
      <span className="font-normal text-slate-500">(optional)</span>
    </>
  );
}

function Label({ id, name, schema, required, children }: { id: string; name: string; schema: JsonSchema; required?: boolean; children?: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-2">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {titleOf(schema, name)}
        {!required && <Optional />}
      </label>
      {children}
    </div>
  );
}

const titleOf = (schema: JsonSchema, name: string) => schema.title ?? humanize(name);

/** The id of the text that describes a field (its error, else its description and default), if any. */
function describedBy(id: string, schema: JsonSchema, error?: string) {
  if (error) return `${id}-error`;
  return schema.description || defaultText(schema) ? `${id}-hint` : undefined;
}

function Hint({ id, schema, error }: { id: string; schema: JsonSchema; error?: string }) {
  if (error)
    return (
      <p id={`${id}-error`} className="text-xs text-red-700">
        {error}
      </p>
    );
  const fallback = defaultText(schema);
  if (!schema.description && !fallback) return null;
  return (
    <p id={`${id}-hint`} className="text-xs text-slate-600">
      {schema.description}
      {schema.description && fallback && " "}
      {fallback && `Default: ${fallback}.`}
    </p>
  );
}

export function SchemaField(props: Props) {
  const { schema, value, onChange, errors, path, name, required } = props;
  const id = useId();
  const error = errorAt(errors, path);
  const described = describedBy(id, schema, error);
  const kind = fieldKind(schema, name);
  const [dragging, setDragging] = useState(false);

  switch (kind) {
    case "object":
      return <ObjectFields {...props} />;
    case "objectList":
      return <ObjectList {...props} />;
    case "boolean":
      return (
        <div className="space-y-1">
          <div className="flex items-center gap-2">
            <input id={id} name={path} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={described} className="size-4 rounded border-slate-300 text-brand-600" />
            <label htmlFor={id} className="text-sm text-slate-800">
              {titleOf(schema, name)}
            </label>
          </div>
          <Hint id={id} schema={schema} error={error} />
        </div>
      );
    case "enum":
      return (
        <div className="space-y-1">
          <Label id={id} name={name} schema={schema} required={required} />
          <select id={id} name={path} value={String(value ?? "")} onChange={(e) => onChange(schema.enum!.find((o) => String(o) === e.target.value))} aria-describedby={described} className={inputClass(error)}>
            {!required && schema.default === undefined && <option value="">—</option>}
            {schema.enum!.map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
          <Hint id={id} schema={schema} error={error} />
        </div>
      );
    case "enumList":
      return <EnumList {...props} />;
    case "number":
      return (
        <div className="space-y-1">
          <Label id={id} name={name} schema={schema} required={required} />
          <input
            id={id}
            name={path}
            type="number"
            value={typeof value === "number" ? value : ""}
            min={schema.minimum}
            max={schema.maximum}
            onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            className={inputClass(error)}
          />
          <Hint id={id} schema={schema} error={error} />
        </div>
      );
    case "text":
      return (
        <div className="space-y-1">
          <Label id={id} name={name} schema={schema} required={required} />
          <input id={id} name={path} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={described} className={inputClass(error)} />
          <Hint id={id} schema={schema} error={error} />
        </div>
      );
    case "longtext": {
      const onDrop = async (e: DragEvent) => {
        e.preventDefault();
        setDragging(false);
        const [file] = await readFiles(e.dataTransfer.files);
        if (file) onChange(file.text);
      };
      return (
        <div className="space-y-1">
          <Label id={id} name={name} schema={schema} required={required}>
            <span className="text-xs text-slate-500">or drop a text file</span>
          </Label>
          <textarea
            id={id}
            name={path}
            rows={6}
            value={String(value ?? "")}
            onChange={(e) => onChange(e.target.value)}
            onDragOver={(e) => (e.preventDefault(), setDragging(true))}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            className={cn(inputClass(error), "font-mono text-xs", dragging && "ring-2 ring-brand-500")}
          />
          <Hint id={id} schema={schema} error={error} />
        </div>
      );
    }
    case "stringList":
      return (
        <div className="space-y-1">
          <Label id={id} name={name} schema={schema} required={required}>
            <span className="text-xs text-slate-500">one per line</span>
          </Label>
          <textarea
            id={id}
            name={path}
            rows={3}
            value={Array.isArray(value) ? value.join("\n") : ""}
            onChange={(e) => onChange(e.target.value.split("\n").filter((l, i, all) => l || i < all.length - 1))}
            aria-describedby={described}
            className={inputClass(error ?? errorsBelow(errors, path)[0])}
          />
          <Hint id={id} schema={schema} error={error ?? errorsBelow(errors, path)[0]} />
        </div>
      );
    default:
      return <JsonField {...props} />;
  }
}

/** A field made of several controls: a fieldset whose legend is the field's title, then its help text or error. */
function Group({ schema, path, name, required, error, className, children }: Pick<Props, "schema" | "path" | "name" | "required"> & { error?: string; className: string; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset name={path} aria-describedby={describedBy(id, schema, error)} className={className}>
      <legend className="px-1 text-sm font-medium text-slate-800">
        {titleOf(schema, name)}
        {!required && <Optional />}
      </legend>
      <Hint id={id} schema={schema} error={error} />
      {children}
    </fieldset>
  );
}

/** A list of enum values: a checkbox per value, in the schema's order; none ticked leaves the field out. */
function EnumList({ schema, value, onChange, errors, path, name, required }: Props) {
  const chosen = Array.isArray(value) ? value : [];
  const options = schema.items!.enum!;
  return (
    <Group schema={schema} path={path} name={name} required={required} error={errorAt(errors, path) ?? errorsBelow(errors, path)[0]} className="space-y-2">
      <div className="flex flex-wrap gap-x-4 gap-y-2">
        {options.map((o) => (
          <label key={String(o)} className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              name={path}
              value={String(o)}
              checked={chosen.includes(o)}
              onChange={(e) => {
                const next = options.filter((x) => (x === o ? e.target.checked : chosen.includes(x)));
                onChange(next.length ? next : undefined);
              }}
              className="size-4 rounded border-slate-300 text-brand-600"
            />
            {String(o)}
          </label>
        ))}
      </div>
    </Group>
  );
}

/** An object's fields in the schema's property order; below the top level, grouped in a fieldset under the object's title. */
function ObjectFields(props: Props) {
  const { schema, path, name, required, errors } = props;
  if (!path) return <PropertyFields {...props} />;
  return (
    <Group schema={schema} path={path} name={name} required={required} error={errorAt(errors, path)} className="space-y-4 rounded-md p-3 ring-1 ring-slate-200">
      <PropertyFields {...props} />
    </Group>
  );
}

function PropertyFields({ schema, value, onChange, errors, path }: Props) {
  const obj = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  return (
    <div className="space-y-4">
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <SchemaField
          key={key}
          schema={child}
          name={key}
          path={path ? `${path}.${key}` : key}
          required={schema.required?.includes(key)}
          value={obj[key]}
          errors={errors}
          onChange={(v) => {
            const next = { ...obj, [key]: v };
            if (v === undefined || v === "") delete next[key];
            onChange(next);
          }}
        />
      ))}
    </div>
  );
}

function ObjectList({ schema, value, onChange, errors, path, name, required }: Props) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items!;
  const files = fileShape(itemSchema);
  const [dragging, setDragging] = useState(false);

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = await readFiles(e.dataTransfer.files);
    onChange([...items, ...dropped.map((f) => ({ [files!.nameKey]: f.name, content: f.text }))]);
  };
  const onPick = async (list: FileList | null) => {
    if (!list) return;
    const picked = await readFiles(list);
    onChange([...items, ...picked.map((f) => ({ [files!.nameKey]: f.name, content: f.text }))]);
  };

  return (
    <Group schema={schema} path={path} name={name} required={required} error={errorAt(errors, path)} className="space-y-3">
      {files && (
        <div
          onDragOver={(e) => (e.preventDefault(), setDragging(true))}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={cn("rounded-md border-2 border-dashed px-4 py-5 text-center text-sm text-slate-500", dragging ? "border-brand-500 bg-brand-50" : "border-slate-300")}
        >
          Drop text files here, or{" "}
          <label className="cursor-pointer font-medium text-brand-700 underline focus-within:outline-2">
            choose files
            <input type="file" multiple className="sr-only" onChange={(e) => void onPick(e.target.files)} />
          </label>
        </div>
      )}
      <ol className="space-y-3">
        {items.map((item, i) => (
          <li key={i} className="space-y-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <div className="flex items-center justify-between">
              <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">
                {humanize(name).replace(/s$/, "")} {i + 1}
              </span>
              <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => onChange(items.filter((_, j) => j !== i))} aria-label={`Remove ${humanize(name).replace(/s$/, "").toLowerCase()} ${i + 1}`}>
                Remove
              </Button>
            </div>
            <PropertyFields schema={itemSchema} name={name} path={`${path}.${i}`} value={item} errors={errors} onChange={(v) => onChange(items.map((old, j) => (j === i ? v : old)))} />
          </li>
        ))}
      </ol>
      <Button type="button" variant="secondary" onClick={() => onChange([...items, emptyValue(itemSchema)])}>
        Add {humanize(name).replace(/s$/, "").toLowerCase()}
      </Button>
    </Group>
  );
}

function JsonField({ schema, value, onChange, errors, path, name, required }: Props) {
  const id = useId();
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [parseError, setParseError] = useState<string>();
  const error = parseError ?? errorAt(errors, path) ?? errorsBelow(errors, path)[0];
  return (
    <div className="space-y-1">
      <Label id={id} name={name} schema={schema} required={required}>
        <span className="text-xs text-slate-500">JSON</span>
      </Label>
      <textarea
        id={id}
        name={path}
        rows={6}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) return (setParseError(undefined), onChange(undefined));
          try {
            onChange(JSON.parse(e.target.value));
            setParseError(undefined);
          } catch {
            setParseError("Not valid JSON yet.");
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, schema, error)}
        className={cn(inputClass(error), "font-mono text-xs")}
      />
      <Hint id={id} schema={schema} error={error} />
    </div>
  );
}
