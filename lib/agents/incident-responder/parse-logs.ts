import { z } from "zod";

// parse_logs: groups error lines into signatures (the message with numbers, ids,
// addresses and quoted values replaced by placeholders), with counts, first and
// last timestamps, and per-minute spikes of errors.

export const parseLogsInputSchema = z.object({
  logs: z.string().trim().min(1, "Paste log lines.").max(10_000_000),
});

export type ErrorSignature = { signature: string; level: string; count: number; firstSeen: string | null; lastSeen: string | null; example: string; firstLine: number };
export type Spike = { minute: string; errors: number };
export type LogReport = { lines: number; errorLines: number; from: string | null; to: string | null; signatures: ErrorSignature[]; spikes: Spike[] };

export class LogInputError extends Error {}

const TIMESTAMP = /(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/;
const LEVEL = /\b(FATAL|CRITICAL|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b/;
const ERROR_LEVELS = new Set(["FATAL", "CRITICAL", "ERROR", "ERR"]);

/** The message with its variable parts replaced, so repeats of one error share a signature. */
export function signatureOf(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, "<ip>")
    .replace(/"[^"]*"|'[^']*'/g, "<str>")
    .replace(/\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b/gi, "<hex>")
    .replace(/\b\d+(\.\d+)?(ms|s|kb|mb|gb|%)?\b/gi, "<n>")
    .replace(/\s+/g, " ")
    .trim();
}

function parseTime(line: string): Date | null {
  const m = TIMESTAMP.exec(line);
  if (!m) return null;
  const t = new Date(m[1]!.replace(" ", "T").replace(",", "."));
  return Number.isNaN(t.getTime()) ? null : t;
}

/** The parse_logs tool. */
export function parseLogs(input: z.output<typeof parseLogsInputSchema>): LogReport {
  if (input.logs.includes("\u0000")) throw new LogInputError("This looks like a binary file, not log text.");
  const lines = input.logs.split(/\r?\n/);
  if (lines.length > 500_000) throw new LogInputError("More than 500,000 lines; send a narrower time window.");
  const signatures = new Map<string, ErrorSignature>();
  const perMinute = new Map<string, number>();
  let from: Date | null = null;
  let to: Date | null = null;
  let errorLines = 0;

  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const time = parseTime(line);
    if (time) {
      if (!from || time < from) from = time;
      if (!to || time > to) to = time;
    }
    const level = LEVEL.exec(line)?.[1]?.toUpperCase();
    const isError = (level && ERROR_LEVELS.has(level)) || (!level && /\b(exception|traceback|panic)\b/i.test(line));
    if (!isError) return;
    errorLines++;
    const afterLevel = level ? line.slice(line.indexOf(level) + level.length) : line;
    const message = afterLevel.replace(TIMESTAMP, "").replace(/^[\s\]:|-]+/, "");
    const signature = signatureOf(message);
    const iso = time?.toISOString() ?? null;
    const entry = signatures.get(signature);
    if (!entry) signatures.set(signature, { signature, level: level ?? "ERROR", count: 1, firstSeen: iso, lastSeen: iso, example: line.slice(0, 500), firstLine: i + 1 });
    else {
      entry.count++;
      if (iso && (!entry.firstSeen || iso < entry.firstSeen)) entry.firstSeen = iso;
      if (iso && (!entry.lastSeen || iso > entry.lastSeen)) entry.lastSeen = iso;
    }
    if (iso) perMinute.set(iso.slice(0, 16), (perMinute.get(iso.slice(0, 16)) ?? 0) + 1);
  });

  // A spike: a minute with at least 5 errors and at least 3× the median of minutes that had errors.
  const counts = [...perMinute.values()].sort((a, b) => a - b);
  const median = counts.length ? counts[Math.floor((counts.length - 1) / 2)]! : 0;
  const spikes = [...perMinute.entries()]
    .filter(([, n]) => n >= 5 && n >= 3 * median)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([minute, errors]) => ({ minute: `${minute}Z`, errors }));

  const fromIso = (from as Date | null)?.toISOString() ?? null;
  const toIso = (to as Date | null)?.toISOString() ?? null;
  return {
    lines: lines.filter((l) => l.trim()).length,
    errorLines,
    from: fromIso,
    to: toIso,
    signatures: [...signatures.values()].sort((a, b) => b.count - a.count || a.firstLine - b.firstLine),
    spikes,
  };
}
