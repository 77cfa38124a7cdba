import { useId, type InputHTMLAttributes, type SelectHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

type Labelled = { label: string; error?: string; hint?: string };

const controlClass = (error: string | undefined, extra?: string) =>
  cn(
    "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset",
    error ? "ring-red-400 focus:ring-red-500" : "ring-slate-300 focus:ring-brand-500",
    extra,
  );

/** Label, hint and error around a control, wired up for screen readers. */
function Labelled({ label, error, hint, className, render }: Labelled & { className?: string; render: (a: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode }) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {render({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field({ label, error, hint, className, ...input }: InputHTMLAttributes<HTMLInputElement> & Labelled) {
  return <Labelled label={label} error={error} hint={hint} className={className} render={(a) => <input {...a} className={controlClass(error)} {...input} />} />;
}

/** A labelled textarea, wired like Field. */
export function TextAreaField({ label, error, hint, className, ...area }: TextareaHTMLAttributes<HTMLTextAreaElement> & Labelled) {
  return <Labelled label={label} error={error} hint={hint} className={className} render={(a) => <textarea {...a} className={controlClass(error, "font-mono")} {...area} />} />;
}

/** A labelled select, wired like Field. */
export function SelectField({ label, error, hint, className, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & Labelled) {
  return (
    <Labelled
      label={label}
      error={error}
      hint={hint}
      className={className}
      render={(a) => (
        <select {...a} className={controlClass(error)} {...select}>
          {children}
        </select>
      )}
    />
  );
}
