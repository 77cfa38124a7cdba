import { countOf } from "@/components/ui/format";
import type { RatingSummary } from "@/lib/packages/rating";
import { Stars, starsLabel } from "./reviews-stars";

/** The displayed rating with its count, the stars' histogram and the per-version ratings. */
export function ReviewsSummary({ summary }: { summary: RatingSummary }) {
  if (summary.rating === null) {
    return (
      <p className="text-sm text-slate-600" data-testid="rating-summary">
        No reviews yet.
      </p>
    );
  }
  const most = Math.max(...summary.histogram, 1);
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:gap-8" data-testid="rating-summary">
      <div className="space-y-1">
        <p className="text-3xl font-bold tabular-nums text-slate-900">{summary.rating.toFixed(1)}</p>
        <Stars value={summary.rating} />
        <p className="text-xs text-slate-600">{countOf(summary.count, "paying workspace")}</p>
      </div>
      <ol className="flex-1 space-y-1 text-xs text-slate-600" aria-label="Reviews by stars">
        {[5, 4, 3, 2, 1].map((s) => {
          const n = summary.histogram[s - 1] ?? 0;
          return (
            <li key={s} className="flex items-center gap-2">
              <span className="w-12 shrink-0">{starsLabel(s)}</span>
              <span className="h-2 flex-1 overflow-hidden rounded bg-slate-100" aria-hidden>
                <span className="block h-full rounded bg-amber-400" style={{ width: `${(n / most) * 100}%` }} />
              </span>
              <span className="w-6 shrink-0 text-right tabular-nums">{n}</span>
            </li>
          );
        })}
      </ol>
      {summary.versions.length > 1 && (
        <dl className="space-y-1 text-xs text-slate-600">
          {summary.versions.map((v) => (
            <div key={v.version} className="flex gap-2">
              <dt className="font-mono">v{v.version}</dt>
              <dd>
                {v.rating.toFixed(1)} ({countOf(v.count, "review")})
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
