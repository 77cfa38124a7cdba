import { describe, expect, it } from "vitest";
import { checkControls, checkControlsInputSchema } from "@/lib/agents/audit-agent/check-controls";
import { auditAgent } from "@/lib/agents/audit-agent/package";
import type { ToolContext } from "@/lib/agents/define-package";
import { runOfflinePlan } from "@/lib/agents/run-offline-plan";

const line = (time: string, actor: string, action: string, extra: Record<string, unknown> = {}) => JSON.stringify({ time, actor, action, ...extra });
const check = (events: string[], extra: Record<string, unknown> = {}) => checkControls(checkControlsInputSchema.parse({ events: events.join("\n"), ...extra }));
const control = (r: ReturnType<typeof checkControls>, id: string) => r.controls.find((c) => c.id === id)!;

describe("check_controls", () => {
  it("fails MFA for an admin sign-in without MFA, naming the line", () => {
    const r = check([
      line("2026-11-02T09:00:00Z", "ana", "auth.sign_in", { role: "admin", mfa: true }),
      line("2026-11-02T10:00:00Z", "bo", "auth.sign_in", { role: "member", mfa: false }), // not an admin: not in scope
      line("2026-11-02T11:00:00Z", "raj", "login", { admin: true }),
    ]);
    expect(control(r, "mfa-admin-signin")).toMatchObject({ status: "fail", checked: 2, findings: [{ line: 3, actor: "raj", time: "2026-11-02T11:00:00.000Z" }] });
  });

  it("fails key rotation past the age limit, once per key", () => {
    const r = check(
      [
        line("2026-01-01T00:00:00Z", "ops", "api_key.created", { key_id: "k1" }),
        line("2026-03-01T00:00:00Z", "ci", "api_key.used", { key_id: "k1" }), // 59 days
        line("2026-04-15T00:00:00Z", "ci", "api_key.used", { key_id: "k1" }), // 104 days
        line("2026-05-01T00:00:00Z", "ci", "api_key.used", { key_id: "k1" }),
      ],
      { maxKeyAgeDays: 90 },
    );
    expect(control(r, "key-rotation")).toMatchObject({ status: "fail", checked: 3, findings: [{ line: 3, detail: "Key k1 was used 104 days after it was created (limit 90)." }] });
  });

  it("flags sign-ins outside business hours and at weekends (UTC)", () => {
    const r = check([
      line("2026-11-02T08:00:00Z", "a", "auth.sign_in"), // Monday 08:00: inside
      line("2026-11-02T18:59:00Z", "a", "auth.sign_in"), // inside
      line("2026-11-02T19:00:00Z", "a", "auth.sign_in"), // outside
      line("2026-11-07T12:00:00Z", "a", "auth.sign_in"), // Saturday
    ]);
    expect(control(r, "access-outside-hours").findings.map((f) => f.line)).toEqual([3, 4]);
  });

  it("finds five failed sign-ins within ten minutes, not four, not spread out", () => {
    const fails = (actor: string, minutes: number[]) => minutes.map((m) => line(new Date(Date.UTC(2026, 10, 2, 9, m)).toISOString(), actor, "auth.sign_in_failed"));
    const r = check([...fails("mallory", [0, 2, 4, 6, 9]), ...fails("slow", [0, 5, 11, 17, 23]), ...fails("four", [0, 1, 2, 3])]);
    expect(control(r, "failed-signin-burst").findings).toEqual([expect.objectContaining({ actor: "mallory", line: 5 })]);
  });

  it("requires privilege changes to be approved by someone else", () => {
    const r = check([
      line("2026-11-02T10:00:00Z", "raj", "role.granted", { approved_by: "raj" }),
      line("2026-11-02T10:05:00Z", "raj", "role.granted", { approved_by: "ana" }),
      line("2026-11-02T10:10:00Z", "raj", "user.promoted"),
    ]);
    expect(control(r, "privilege-change-approved").findings.map((f) => [f.line, f.detail])).toEqual([
      [1, "Approved by the same person who made the change."],
      [3, "No approver recorded."],
    ]);
  });

  it("scores the applicable controls and skips the rest", () => {
    const r = check([line("2026-11-02T10:00:00Z", "ana", "auth.sign_in", { role: "admin", mfa: true })]);
    expect(r.controls.filter((c) => c.status === "not_applicable").map((c) => c.id)).toEqual(["key-rotation", "failed-signin-burst", "privilege-change-approved"]);
    expect(r.score).toBe(100);
    const selected = check([line("2026-11-02T23:00:00Z", "ana", "auth.sign_in", { role: "admin" })], { controls: ["mfa-admin-signin", "access-outside-hours"] });
    expect(selected.controls.map((c) => c.status)).toEqual(["fail", "fail"]);
    expect(selected.score).toBe(0);
  });

  it("names the line of malformed input", () => {
    expect(() => check(['{"time":"2026-11-02T10:00:00Z","actor":"a","action":"x"}', "{oops"])).toThrow("Line 2 is not valid JSON.");
    expect(() => check(['{"actor":"a","action":"x"}'])).toThrow(/Line 1 has no valid time/);
    expect(() => check(['{"time":"2026-11-02T10:00:00Z"}'])).toThrow(/no action/);
    expect(() => check(["[1,2]"])).toThrow(/must be a JSON object/);
    expect(() => check(["\u0000\u0002"])).toThrow(/binary/);
  });
});

describe("Audit Agent offline", () => {
  it("reports the example's failures with their lines", async () => {
    const ctx = { workspaceId: "ws", runId: "run", signal: new AbortController().signal, db: null } as unknown as ToolContext;
    const out = await runOfflinePlan(auditAgent, auditAgent.input.parse(auditAgent.exampleInput), ctx);
    const status = Object.fromEntries(out.controls.map((c) => [c.id, c.status]));
    expect(status).toEqual({ "mfa-admin-signin": "fail", "key-rotation": "fail", "access-outside-hours": "fail", "failed-signin-burst": "not_applicable", "privilege-change-approved": "fail" });
    expect(out.controls[0]!.findings).toEqual([expect.objectContaining({ line: 2, actor: "raj@acme.io" })]);
    expect(out.score).toBe(0);
  });
});
