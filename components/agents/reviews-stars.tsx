import { cn } from "@/components/ui/cn";

// Stars for the reviews section: a read-only row (with its number said in words)
// and the 1–5 input, a radio group the keyboard drives with the arrow keys.

const STARS = [1, 2, 3, 4, 5] as const;
export const starsLabel = (n: number) => `${n} star${n === 1 ? "" : "s"}`;

/** `value` out of 5, drawn as five stars (filled up to the rounded value). */
export function Stars({ value, className }: { value: number; className?: string }) {
  const filled = Math.round(value);
  return (
    <span role="img" aria-label={`${value.toFixed(1)} out of 5 stars`} className={cn("inline-flex text-amber-500", className)}>
      {STARS.map((s) => (
        <span key={s} aria-hidden className={s <= filled ? "" : "text-slate-300"}>
          ★
        </span>
      ))}
    </span>
  );
}

/** The rating of a review: five radios labelled "1 star" … "5 stars", styled as stars. */
export function StarInput({ value, onChange, name, error }: { value: number; onChange: (n: number) => void; name: string; error?: string }) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-800">Rating</legend>
      <div className="flex gap-1">
        {STARS.map((s) => (
          <label
            key={s}
            className={cn(
              "cursor-pointer rounded px-1 text-2xl leading-none has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500",
              s <= value ? "text-amber-500" : "text-slate-300 hover:text-amber-300",
            )}
          >
            <input type="radio" name={name} value={s} checked={value === s} onChange={() => onChange(s)} className="sr-only" />
            <span aria-hidden>★</span>
            <span className="sr-only">{starsLabel(s)}</span>
          </label>
        ))}
      </div>
      {error && <p className="text-xs text-red-700">{error}</p>}
    </fieldset>
  );
}
