import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { scanFilesInputSchema, severities, type Finding } from "./findings";
import { scanCodePatterns } from "./scan-code-patterns";
import { scanSecrets } from "./scan-secrets";

const findingSchema = z.object({
  severity: z.enum(severities),
  file: z.string(),
  line: z.number().int().positive(),
  rule: z.string(),
  explanation: z.string(),
  fix: z.string(),
});

const outputSchema = z.object({
  summary: z.string(),
  counts: z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  findings: z.array(findingSchema),
});

const toOutputFinding = ({ severity, file, line, rule, explanation, fix }: Finding) => ({ severity, file, line, rule, explanation, fix });

export const securityScanner = definePackage({
  slug: "security-scanner",
  name: "Security Scanner",
  summary: "Finds leaked secrets and risky code patterns in your files, with file, line and a fix for each.",
  description: [
    "Scans source files for **credentials** (AWS, GitHub, Stripe, Slack, Google and Anthropic keys, PEM private keys,",
    "high-entropy values in secret-looking variables) and **risky code**: SQL built by concatenation, `eval` of input,",
    "weak password hashing, unsafe deserialisation, path traversal, shell injection and disabled TLS verification.",
    "",
    "Every finding names the file, the line, the rule, why it matters and how to fix it. Secrets are never echoed back in full.",
  ].join("\n"),
  category: "security",
  capabilities: ["secret detection", "static analysis", "code review"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 4_096,
  baseFeeMicros: 2_000n,
  input: scanFilesInputSchema,
  output: outputSchema,
  exampleInput: {
    files: [
      { path: "config/settings.py", content: 'DEBUG = True\nAWS_ACCESS_KEY_ID = "AKIAZ7QW3RTY5UIOP2LK"\n' },
      { path: "app/db.js", content: "function find(db, id) {\n  return db.query(\"SELECT * FROM users WHERE id = '\" + id + \"'\");\n}\n" },
    ],
  },
  systemPrompt:
    "You are a security reviewer. Call scan_secrets and scan_code_patterns on the files, then report every finding the tools return, most severe first, with a one-paragraph summary. Never print a secret in full.",
  tools: [
    defineTool({ name: "scan_secrets", description: "Find credentials and high-entropy secrets in files.", input: scanFilesInputSchema, handler: scanSecrets }),
    defineTool({ name: "scan_code_patterns", description: "Find risky code patterns (injection, eval, weak crypto, deserialisation, traversal).", input: scanFilesInputSchema, handler: scanCodePatterns }),
  ],
  offline: {
    plan: (input) => [
      { tool: "scan_secrets", input },
      { tool: "scan_code_patterns", input },
    ],
    compose: (input, results) => {
      const findings = [...(results.scan_secrets as Finding[]), ...(results.scan_code_patterns as Finding[])].map(toOutputFinding);
      const counts = { critical: 0, high: 0, medium: 0, low: 0 };
      for (const f of findings) counts[f.severity]++;
      const summary = findings.length
        ? `Scanned ${input.files.length} file(s): ${findings.length} finding(s) — ${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low.`
        : `Scanned ${input.files.length} file(s): no findings.`;
      return { summary, counts, findings };
    },
  },
});
