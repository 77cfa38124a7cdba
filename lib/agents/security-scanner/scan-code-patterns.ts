import { scanLines, type Finding, type LineRule, type ScanFilesInput } from "./findings";

// Risky code patterns, line by line. Each rule has an id, a severity, why it
// matters and how to fix it. Heuristics: they flag for a human to confirm.

const SQL = String.raw`\b(?:SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b`;
// SQL text in a literal that is then concatenated, %-formatted, .format()ed or
// interpolated. Each quote style on its own, so the other may appear inside.
const SQL_BUILT_FROM_PARTS = [
  ...['"', "'"].flatMap((q) => [
    new RegExp(String.raw`${q}[^${q}]*${SQL}[^${q}]*${q}\s*(\+|%|\.format\()`, "i"),
    new RegExp(String.raw`\+\s*${q}[^${q}]*${SQL}`, "i"),
  ]),
  new RegExp(String.raw`\`[^\`]*${SQL}[^\`]*\$\{`, "i"),
  new RegExp(String.raw`\bf["'][^"']*${SQL}[^"']*\{`, "i"),
];
const USER_INPUT = /\b(req|request)\.(params|query|body|args|form|GET|POST)\b|\binput\(|\bsys\.argv\b|\$_(GET|POST|REQUEST)\b/;

function rule(id: string, severity: LineRule["severity"], explanation: string, fix: string, test: (line: string) => boolean): LineRule {
  return { id, severity, explanation, fix, test: (line) => (test(line) ? line.trim().slice(0, 160) : null) };
}

export const codeRules: LineRule[] = [
  rule(
    "SQLI-CONCAT",
    "high",
    "SQL built by string concatenation or interpolation: a value containing a quote changes the query (SQL injection).",
    "Use parameterised queries (placeholders such as $1 or ?) and pass values separately.",
    (l) => SQL_BUILT_FROM_PARTS.some((re) => re.test(l)),
  ),
  rule(
    "EVAL-DYNAMIC",
    "critical",
    "Code is evaluated from a non-literal value; if any part comes from input, an attacker runs their own code.",
    "Remove eval/exec/new Function; parse the data (JSON.parse, ast.literal_eval) or dispatch to known functions.",
    (l) => /\b(eval|exec)\s*\(\s*(?!["'`][^"'`]*["'`]\s*\))[^)\s]/.test(l) || /\bnew\s+Function\s*\(/.test(l),
  ),
  rule(
    "CRYPTO-WEAK-PASSWORD-HASH",
    "high",
    "Passwords hashed with MD5 or SHA-1: fast, unsalted hashes are cracked in bulk with GPUs.",
    "Hash passwords with argon2id, scrypt or bcrypt through a maintained library.",
    (l) => /\b(md5|sha1)\b|["'](md5|sha1)["']/i.test(l) && /passw(or)?d|\bpwd\b/i.test(l),
  ),
  rule(
    "DESERIALIZE-UNSAFE",
    "high",
    "Deserialising untrusted data with a format that can construct arbitrary objects leads to code execution.",
    "Use a data-only format (JSON) or the safe loader (yaml.safe_load, SafeLoader).",
    (l) =>
      /\b(pickle|cPickle|dill)\.loads?\s*\(/.test(l) ||
      (/\byaml\.load\s*\(/.test(l) && !/SafeLoader|CSafeLoader/.test(l)) ||
      /\bunserialize\s*\(/.test(l) ||
      /\bnew\s+ObjectInputStream\s*\(/.test(l) ||
      /\bMarshal\.load\b/.test(l),
  ),
  rule(
    "PATH-TRAVERSAL",
    "high",
    "A file path is built from request input; '../' sequences can read or write files outside the intended folder.",
    "Resolve the path, then check it stays inside an allowed base directory; or map ids to files server-side.",
    (l) => /\b(readFile|readFileSync|createReadStream|writeFile|open|sendFile|path\.join|path\.resolve)\s*\(/.test(l) && USER_INPUT.test(l),
  ),
  rule(
    "COMMAND-INJECTION",
    "critical",
    "A shell command is built from variable data; shell metacharacters in it run extra commands.",
    "Call the program directly with an argument array (execFile/spawn, subprocess.run([...])) and no shell.",
    (l) =>
      /\b(exec|execSync)\s*\(\s*(`[^`]*\$\{|["'][^"']*["']\s*\+)/.test(l) ||
      /\bos\.system\s*\(\s*(f["']|["'][^"']*["']\s*[+%])/.test(l) ||
      /\bsubprocess\.\w+\(.*shell\s*=\s*True/.test(l),
  ),
  rule(
    "TLS-VERIFY-DISABLED",
    "medium",
    "Certificate verification is switched off, so any machine in the middle can read and alter the traffic.",
    "Keep verification on; trust a private CA explicitly if you need one.",
    (l) => /rejectUnauthorized\s*:\s*false|verify\s*=\s*False|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["']?0/.test(l),
  ),
];

const MAX_LINE = 2_000;
const isComment = (l: string) => /^\s*(\/\/|#|\*|\/\*|--)/.test(l);

/** scan_code_patterns: risky code with rule id, severity, file and line. */
export function scanCodePatterns(input: ScanFilesInput): Finding[] {
  return scanLines(input, codeRules, { skipLine: isComment, maxLineLength: MAX_LINE });
}
