import { describe, expect, it } from "vitest";
import { scanFilesInputSchema } from "@/lib/agents/security-scanner/findings";
import { scanCodePatterns } from "@/lib/agents/security-scanner/scan-code-patterns";
import { scanSecrets, shannonEntropy } from "@/lib/agents/security-scanner/scan-secrets";

// Realistic-looking but fake credentials, assembled so this file itself holds none.
const awsKeyId = "AKIA" + "Z7QW3RTY5UIOP2LK";
const githubToken = "ghp_" + "x9Kd82LmQp0sZr4TbV7nWc1YhE6uJ3aFgHiN";
const pemHeader = "-----BEGIN RSA " + "PRIVATE KEY-----";

const configFile = {
  path: "deploy/config.py",
  content: [
    "import os",
    "",
    `AWS_ACCESS_KEY_ID = "${awsKeyId}"`,
    "REGION = 'eu-west-1'",
    `GITHUB_TOKEN = "${githubToken}"`,
    "DEBUG = False",
  ].join("\n"),
};
const keyFile = { path: "certs/server.key", content: [pemHeader, "MIIEowIBAAKCAQEAx1", "-----END RSA PRIVATE KEY-----"].join("\n") };

const appFile = {
  path: "src/users.js",
  content: [
    "const crypto = require('crypto');",
    "// eval( is mentioned in this comment only",
    "function findUser(db, name) {",
    "  return db.query(\"SELECT * FROM users WHERE name = '\" + name + \"'\");",
    "}",
    "function calc(req) {",
    "  return eval(req.query.expr);",
    "}",
    "function storePassword(password) {",
    "  return crypto.createHash('md5').update(password).digest('hex');",
    "}",
  ].join("\n"),
};

const cleanFile = {
  path: "src/clean.ts",
  content: [
    "import { hash } from '@node-rs/argon2';",
    "export async function findUser(db: Db, name: string) {",
    "  return db.query('SELECT * FROM users WHERE name = $1', [name]);",
    "}",
    "export const storePassword = (password: string) => hash(password);",
    "const apiKey = process.env.API_KEY;",
    "const version = JSON.parse('{\"v\": 1}');",
  ].join("\n"),
};

describe("scan_secrets", () => {
  it("reports an AWS access key, a PEM private key and a GitHub token with file and line, redacted", () => {
    const findings = scanSecrets({ files: [configFile, keyFile] });
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ["SECRET-PRIVATE-KEY", "certs/server.key", 1],
      ["SECRET-AWS-ACCESS-KEY", "deploy/config.py", 3],
      ["SECRET-GITHUB-TOKEN", "deploy/config.py", 5],
    ]);
    expect(findings.every((f) => f.severity === "critical")).toBe(true);
    expect(JSON.stringify(findings)).not.toContain(awsKeyId);
    expect(JSON.stringify(findings)).not.toContain(githubToken);
  });

  it("flags high-entropy values assigned to secret-looking names, not ordinary strings", () => {
    const findings = scanSecrets({
      files: [
        {
          path: "settings.ts",
          content: ['const webhookSecret = "q8Zr2LxP0vN5mT7kB3wY9cJ4";', 'const greeting = "hello there general kenobi";', 'const apiKey = "aaaaaaaaaaaaaaaaaaaaaaaa";'].join("\n"),
        },
      ],
    });
    expect(findings.map((f) => [f.rule, f.line])).toEqual([["SECRET-ENTROPY", 1]]);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
  });

  it("finds nothing in a clean file", () => {
    expect(scanSecrets({ files: [cleanFile] })).toEqual([]);
  });
});

describe("scan_code_patterns", () => {
  it("reports SQL concatenation, eval of input and MD5 for passwords with their lines, ignoring comments", () => {
    const findings = scanCodePatterns({ files: [appFile] });
    expect(findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ["EVAL-DYNAMIC", "critical", "src/users.js", 7],
      ["SQLI-CONCAT", "high", "src/users.js", 4],
      ["CRYPTO-WEAK-PASSWORD-HASH", "high", "src/users.js", 10],
    ]);
    for (const f of findings) {
      expect(f.explanation.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(20);
    }
  });

  it("covers the other rule families on realistic lines", () => {
    const lines = [
      "data = pickle.loads(request.data)",
      "cfg = yaml.load(open(path))",
      "return send_file(os.path.join(BASE, request.args['name']))",
      "fs.readFile(path.join(root, req.params.file), cb)",
      "exec(`convert ${req.body.src} out.png`)",
      "subprocess.run(cmd, shell=True)",
      "https.request({ host, rejectUnauthorized: false })",
      "q = f\"SELECT * FROM t WHERE id = {user_id}\"",
      "cfg = yaml.load(text, Loader=yaml.SafeLoader)",
    ];
    const found = scanCodePatterns({ files: [{ path: "mixed.py", content: lines.join("\n") }] }).map((f) => `${f.line}:${f.rule}`);
    expect(found.sort()).toEqual(
      ["1:DESERIALIZE-UNSAFE", "2:DESERIALIZE-UNSAFE", "3:PATH-TRAVERSAL", "4:PATH-TRAVERSAL", "5:COMMAND-INJECTION", "6:COMMAND-INJECTION", "7:TLS-VERIFY-DISABLED", "8:SQLI-CONCAT"].sort(),
    );
  });

  it("finds nothing in a clean file, and skips binary content", () => {
    expect(scanCodePatterns({ files: [cleanFile] })).toEqual([]);
    expect(scanCodePatterns({ files: [{ path: "a.bin", content: "eval(x)\u0000\u0001" }] })).toEqual([]);
  });
});

describe("hostile input", () => {
  it("scans a 1 MB single-line file full of near-matches without blowing up", () => {
    const line = `x = "${"SELECT a ".repeat(110_000)}"`;
    const file = { path: "min.js", content: line.slice(0, 999_000) };
    expect(scanCodePatterns({ files: [file] })).toEqual([]);
    expect(scanSecrets({ files: [file] })).toEqual([]);
  });

  // Issue 14: the assignment rule was quadratic in a run of name characters (30,000 took 3.3 s, each of these half a minute).
  it("scans a 100,000-character run of name characters, quoted or not, in linear time", { timeout: 10_000 }, () => {
    const lines = ["a".repeat(100_000), `k = "${"x".repeat(100_000)}`];
    for (const content of lines) expect(scanSecrets({ files: [{ path: "blob.txt", content }] })).toEqual([]);
  });

  it("still finds secrets far along a very long line", () => {
    const webhookSecret = "q8Zr2LxP0vN5mT7kB3wY9cJ4";
    const padding = `${"x".repeat(50_000)} ${"y=1;".repeat(30_000)}`;
    const files = [
      { path: "a.min.js", content: `${padding} const token = "${githubToken}";` },
      { path: "b.min.js", content: `${padding} const webhookSecret = "${webhookSecret}";` },
    ];
    expect(scanSecrets({ files }).map((f) => [f.rule, f.file])).toEqual([
      ["SECRET-GITHUB-TOKEN", "a.min.js"],
      ["SECRET-ENTROPY", "b.min.js"],
    ]);
  });
});

describe("tool input", () => {
  it("rejects empty, oversized and malformed file lists with field paths", () => {
    expect(scanFilesInputSchema.safeParse({ files: [] }).success).toBe(false);
    const huge = scanFilesInputSchema.safeParse({ files: [{ path: "a", content: "x".repeat(1_000_001) }] });
    expect(huge.success).toBe(false);
    expect(huge.error?.issues[0]?.path).toEqual(["files", 0, "content"]);
    expect(scanFilesInputSchema.safeParse({ files: [{ content: "x" }] }).error?.issues[0]?.path).toEqual(["files", 0, "path"]);
  });
});
