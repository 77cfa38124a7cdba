import { z } from "zod";
import { definePackage, defineTool } from "../define-package";
import { checkControls, checkControlsInputSchema, controlIds, type AuditResult } from "./check-controls";

const outputSchema = z.object({
  score: z.number().int().min(0).max(100),
  summary: z.string(),
  controls: z.array(
    z.object({
      id: z.enum(controlIds),
      title: z.string(),
      status: z.enum(["pass", "fail", "not_applicable"]),
      findings: z.array(z.object({ line: z.number().int(), time: z.string(), actor: z.string(), detail: z.string() })),
    }),
  ),
});

const event = (time: string, actor: string, action: string, extra: Record<string, unknown> = {}) => JSON.stringify({ time, actor, action, ...extra });

export const auditAgent = definePackage({
  slug: "audit-agent",
  name: "Audit Agent",
  summary: "Checks an audit trail against security controls — MFA for admins, key rotation, off-hours access, sign-in bursts, approvals — with the offending events.",
  description: [
    "Paste audit events as JSON lines (`time`, `actor`, `action`, plus fields such as `role`, `mfa`, `ip`, `key_id`, `approved_by`).",
    "",
    "`check_controls` evaluates:",
    "",
    "- **mfa-admin-signin** — every admin sign-in used MFA;",
    "- **key-rotation** — no API key is used more than N days (default 90) after it was created;",
    "- **access-outside-hours** — sign-ins fall within business hours (UTC, Mon–Fri; default 08–19);",
    "- **failed-signin-burst** — no actor has 5 failed sign-ins within 10 minutes;",
    "- **privilege-change-approved** — role grants are approved by someone other than the person making them.",
    "",
    "Each control passes, fails with the lines that break it, or does not apply; the score is the share of applicable controls passed.",
  ].join("\n"),
  category: "security",
  capabilities: ["compliance", "audit", "access review"],
  version: "1.0.0",
  model: "claude-sonnet-5-5",
  maxOutputTokens: 4_096,
  baseFeeMicros: 2_000n,
  input: checkControlsInputSchema,
  output: outputSchema,
  exampleInput: {
    events: [
      event("2026-11-02T09:14:00Z", "ana@acme.io", "auth.sign_in", { role: "admin", mfa: true, ip: "10.0.0.4" }),
      event("2026-11-02T23:41:00Z", "raj@acme.io", "auth.sign_in", { role: "admin", mfa: false, ip: "203.0.113.7" }),
      event("2026-11-03T10:02:00Z", "ci-bot", "api_key.used", { key_id: "key_legacy", key_created_at: "2026-03-01T00:00:00Z" }),
      event("2026-11-03T11:30:00Z", "raj@acme.io", "role.granted", { target: "lee@acme.io", role: "admin", approved_by: "raj@acme.io" }),
    ].join("\n"),
  },
  systemPrompt:
    "You are a compliance auditor. Call check_controls on the events, then report the score and every control's status with the offending events, most severe first, and what to do about each failure.",
  tools: [defineTool({ name: "check_controls", description: "Evaluate JSON-lines audit events against security controls.", input: checkControlsInputSchema, handler: checkControls })],
  offline: {
    plan: (input) => [{ tool: "check_controls", input }],
    compose: (_input, results) => {
      const r = results.check_controls as AuditResult;
      const failed = r.controls.filter((c) => c.status === "fail");
      return {
        score: r.score,
        summary: `${r.events} event(s); score ${r.score}/100. ${failed.length ? `Failing: ${failed.map((c) => `${c.title} (${c.findings.length})`).join("; ")}.` : "Every applicable control passes."}`,
        controls: r.controls.map(({ id, title, status, findings }) => ({ id, title, status, findings })),
      };
    },
  },
});
