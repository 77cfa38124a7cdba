export { formatUsd, formatUsdExact } from "@/lib/money/format";
/** "3 minutes ago"-style relative time, for lists. */
export function timeAgo(value: string | Date | null | undefined, now = Date.now()): string {
  if (!value) return "never";
  const seconds = Math.round((now - new Date(value).getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return rtf.format(-Math.round(seconds / size), unit);
  return "just now";
}

/** "1.2 s", "340 ms", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export const formatNumber = (n: number) => new Intl.NumberFormat("en").format(n);

/** A count with its noun in the right number: "1 run", "2 runs", "1,200 tokens" (`plural` for irregular nouns). */
export const countOf = (n: number, noun: string, plural = `${noun}s`) => `${formatNumber(n)} ${n === 1 ? noun : plural}`;

/** "rolloutPlan" / "rollout_plan" → "Rollout plan": a field name as a label. */
export const humanize = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[_-]/g, " ")
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

export const formatBytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
