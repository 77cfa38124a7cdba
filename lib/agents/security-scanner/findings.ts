import { z } from "zod";

export const severities = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof severities)[number];

export const scanFilesInputSchema = z.object({
  files: z
    .array(
      z.object({
        path: z.string().min(1).max(500),
        content: z.string().max(1_000_000, "Each file may hold at most 1,000,000 characters."),
      }),
    )
    .min(1, "Send at least one file.")
    .max(200, "Send at most 200 files per run."),
});
export type ScanFilesInput = z.infer<typeof scanFilesInputSchema>;

export type Finding = {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  /** What was found, never the full secret. */
  excerpt: string;
  explanation: string;
  fix: string;
};

/** One line-oriented rule: `test` returns the offending text on a match. */
export type LineRule = {
  id: string;
  severity: Severity;
  explanation: string;
  fix: string;
  test: (line: string) => string | null;
};

/**
 * Runs line rules over every line of every file; results sorted by severity,
 * file, line. `maxLineLength` bounds the work heuristic regexes may do on one
 * line (minified code), so customer input cannot make a scan quadratic.
 */
export function scanLines(
  input: ScanFilesInput,
  rules: LineRule[],
  options: { skipLine?: (line: string) => boolean; maxLineLength?: number } = {},
): Finding[] {
  const { skipLine = () => false, maxLineLength = Infinity } = options;
  const findings: Finding[] = [];
  for (const file of input.files) {
    if (file.content.includes("\u0000")) continue; // binary: nothing line-oriented to say
    file.content.split(/\r?\n/).forEach((fullLine, i) => {
      const text = fullLine.length > maxLineLength ? fullLine.slice(0, maxLineLength) : fullLine;
      if (skipLine(text)) return;
      for (const rule of rules) {
        const hit = rule.test(text);
        if (hit !== null) {
          findings.push({ rule: rule.id, severity: rule.severity, file: file.path, line: i + 1, excerpt: hit, explanation: rule.explanation, fix: rule.fix });
        }
      }
    });
  }
  const rank = (s: Severity) => severities.indexOf(s);
  return findings.sort((a, b) => rank(a.severity) - rank(b.severity) || a.file.localeCompare(b.file) || a.line - b.line);
}

/** Shows enough of a secret to find it, not enough to use it. */
export function redact(secret: string): string {
  return secret.length <= 8 ? "****" : `${secret.slice(0, 4)}…${secret.slice(-2)} (${secret.length} chars)`;
}
