import { redact, scanLines, type Finding, type LineRule, type ScanFilesInput } from "./findings";

// Known credential formats, then high-entropy values assigned to secret-looking names.

function pattern(id: string, severity: LineRule["severity"], re: RegExp, what: string, fix: string): LineRule {
  return {
    id,
    severity,
    explanation: `${what} committed in source. Anyone who can read this file can use it.`,
    fix,
    test: (line) => {
      const m = re.exec(line);
      return m ? redact(m[1] ?? m[0]) : null;
    },
  };
}

const rotate = (where: string) => `Revoke it in ${where} now, then load the new one from the environment or a secret manager.`;

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const SECRET_NAME = /(secret|token|passw(or)?d|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
/** `=`, `:` or `=>`, then an opening quote: where a quoted value is assigned. */
const ASSIGNMENT = /(?:=>?|:)\s*["'`]/g;
const VALUE_END = /["'`\s]/g;
const IDENTIFIER_CHAR = /[A-Za-z0-9_.-]/;
const MAX_NAME = 200;

/**
 * Quoted values of 20+ characters assigned to a name (`name = "value"`), in one
 * pass over the line: a value ends at the first quote or space, and the name is
 * read backwards from the operator (the regex this replaces was quadratic: a
 * 30,000-character line took 3.3 s).
 */
function* assignedValues(line: string): Generator<{ name: string; value: string }> {
  for (const m of line.matchAll(ASSIGNMENT)) {
    const start = m.index + m[0].length;
    VALUE_END.lastIndex = start;
    const end = VALUE_END.exec(line);
    if (!end || !/["'`]/.test(end[0]) || end.index - start < 20) continue;
    let nameEnd = m.index;
    while (nameEnd > 0 && /\s/.test(line[nameEnd - 1]!)) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > 0 && nameEnd - nameStart < MAX_NAME && IDENTIFIER_CHAR.test(line[nameStart - 1]!)) nameStart--;
    yield { name: line.slice(nameStart, nameEnd), value: line.slice(start, end.index) };
  }
}

const highEntropy: LineRule = {
  id: "SECRET-ENTROPY",
  severity: "medium",
  explanation: "A high-entropy string is assigned to a name that suggests a credential; it is probably a real secret.",
  fix: "Move the value to the environment or a secret manager and rotate it if it was ever pushed.",
  test: (line) => {
    for (const { name, value } of assignedValues(line)) {
      if (SECRET_NAME.test(name) && shannonEntropy(value) >= 3.5 && !/^(\$\{|process\.env|os\.environ)/.test(value)) return redact(value);
    }
    return null;
  },
};

/**
 * A long line (minified code, a data blob) is tested in overlapping windows:
 * every rule's work stays proportional to the line, and a secret anywhere on
 * it (each is far shorter than the overlap) is still found.
 */
const WINDOW = 4_096;
const OVERLAP = 1_024;

function windowed(rule: LineRule): LineRule {
  return {
    ...rule,
    test: (line) => {
      for (let at = 0; ; at += WINDOW - OVERLAP) {
        const hit = rule.test(line.length <= WINDOW ? line : line.slice(at, at + WINDOW));
        if (hit !== null || at + WINDOW >= line.length) return hit;
      }
    },
  };
}

// Repetitions are bounded so that no rule scans further than a few hundred characters from where it starts.
export const secretRules: LineRule[] = [
  pattern("SECRET-AWS-ACCESS-KEY", "critical", /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/, "An AWS access key id", rotate("AWS IAM")),
  pattern("SECRET-AWS-SECRET-KEY", "critical", /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})\b/i, "An AWS secret access key", rotate("AWS IAM")),
  pattern("SECRET-PRIVATE-KEY", "critical", /(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----)/, "A PEM private key", "Remove the key from the repository, replace the key pair, and keep the private half in a secret store."),
  pattern("SECRET-GITHUB-TOKEN", "critical", /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,255})\b/, "A GitHub token", rotate("GitHub settings → Developer settings")),
  pattern("SECRET-SLACK-TOKEN", "high", /\b(xox[abprs]-[A-Za-z0-9-]{10,250})\b/, "A Slack token", rotate("Slack's app settings")),
  pattern("SECRET-STRIPE-KEY", "critical", /\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b/, "A live Stripe secret key", rotate("the Stripe dashboard")),
  pattern("SECRET-GOOGLE-API-KEY", "high", /\b(AIza[0-9A-Za-z_-]{35})\b/, "A Google API key", rotate("Google Cloud console")),
  pattern("SECRET-ANTHROPIC-KEY", "critical", /\b(sk-ant-[A-Za-z0-9_-]{20,250})\b/, "An Anthropic API key", rotate("the Anthropic console")),
  highEntropy,
].map(windowed);

/** scan_secrets: credentials in the customer's files, each with file and line. */
export function scanSecrets(input: ScanFilesInput): Finding[] {
  const findings = scanLines(input, secretRules);
  // A line that matched a known format does not also need the generic entropy finding.
  const known = new Set(findings.filter((f) => f.rule !== highEntropy.id).map((f) => `${f.file}:${f.line}`));
  return findings.filter((f) => f.rule !== highEntropy.id || !known.has(`${f.file}:${f.line}`));
}
