import { z } from "zod";

// check_controls: evaluates an audit trail (JSON lines) against controls such as
// MFA on admin sign-in, API key rotation age, access outside business hours,
// bursts of failed sign-ins and unapproved privilege changes. Each control
// passes, fails (with the offending lines) or does not apply (no relevant events).

export const controlIds = ["mfa-admin-signin", "key-rotation", "access-outside-hours", "failed-signin-burst", "privilege-change-approved"] as const;
export type ControlId = (typeof controlIds)[number];

export const checkControlsInputSchema = z.object({
  events: z.string().trim().min(1, "Paste audit events, one JSON object per line.").max(5_000_000),
  controls: z.array(z.enum(controlIds)).min(1).optional().describe("Which controls to check; all when omitted."),
  maxKeyAgeDays: z.number().int().min(1).max(3650).default(90).meta({ title: "Maximum key age (days)", description: "A key used longer than this after it was created is a finding." }),
  businessHours: z.object({ start: z.number().int().min(0).max(23), end: z.number().int().min(1).max(24) }).default({ start: 8, end: 19 }).describe("UTC hours, Monday to Friday."),
});

export class AuditInputError extends Error {}

export type AuditEvent = { line: number; time: Date; actor: string; action: string; raw: Record<string, unknown> };
export type ControlFinding = { line: number; time: string; actor: string; detail: string };
export type ControlResult = { id: ControlId; title: string; severity: "critical" | "high" | "medium"; status: "pass" | "fail" | "not_applicable"; checked: number; findings: ControlFinding[] };
export type AuditResult = { events: number; score: number; controls: ControlResult[] };

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const SIGN_IN = /(^|[._])(sign[_.-]?in|log[_.-]?in)([._](success|succeeded|ok))?$/i; // auth.sign_in, login, user.login.success
const SIGN_IN_FAILED = /(sign[_.-]?in|log[_.-]?in|auth(entication)?)[_.-]?(fail(ed|ure)?|denied)$/i;
const KEY_CREATED = /^(api[_.-]?)?key[_.](created|issued)$/i;
const KEY_USED = /^(api[_.-]?)?key[_.](used|auth(enticated)?)$/i;
const PRIVILEGE = /(role[_.](granted|changed|assigned)|user[_.]promoted|admin[_.]granted|permission[_.]granted)$/i;

/** Parses JSON lines; every line must be an object with a time, an actor and an action. */
export function parseEvents(text: string): AuditEvent[] {
  if (text.includes("\u0000")) throw new AuditInputError("This looks like a binary file, not JSON lines.");
  const events: AuditEvent[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > 200_000) throw new AuditInputError("More than 200,000 events; split the audit trail.");
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AuditInputError(`Line ${i + 1} is not valid JSON.`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new AuditInputError(`Line ${i + 1} must be a JSON object.`);
    const r = raw as Record<string, unknown>;
    const time = new Date(str(r.time ?? r.timestamp ?? r.ts ?? r.at));
    const actor = str(r.actor ?? r.user ?? r.email);
    const action = str(r.action ?? r.event ?? r.type);
    if (Number.isNaN(time.getTime())) throw new AuditInputError(`Line ${i + 1} has no valid time (time, timestamp, ts or at).`);
    if (!action) throw new AuditInputError(`Line ${i + 1} has no action (action, event or type).`);
    events.push({ line: i + 1, time, actor: actor || "(unknown)", action, raw: r });
  });
  if (!events.length) throw new AuditInputError("No events found.");
  return events;
}

const isAdmin = (e: AuditEvent) => e.raw.admin === true || /^(admin|owner|root|superuser)$/i.test(str(e.raw.role));
const finding = (e: AuditEvent, detail: string): ControlFinding => ({ line: e.line, time: e.time.toISOString(), actor: e.actor, detail });

type Check = { title: string; severity: ControlResult["severity"]; run: (events: AuditEvent[], opts: z.output<typeof checkControlsInputSchema>) => { checked: number; findings: ControlFinding[] } };

const checks: Record<ControlId, Check> = {
  "mfa-admin-signin": {
    title: "Admins sign in with MFA",
    severity: "critical",
    run: (events) => {
      const relevant = events.filter((e) => SIGN_IN.test(e.action) && isAdmin(e));
      return { checked: relevant.length, findings: relevant.filter((e) => e.raw.mfa !== true).map((e) => finding(e, `Admin sign-in without MFA${e.raw.ip ? ` from ${str(e.raw.ip)}` : ""}.`)) };
    },
  },
  "key-rotation": {
    title: "API keys are rotated",
    severity: "high",
    run: (events, opts) => {
      const created = new Map<string, Date>();
      for (const e of events) if (KEY_CREATED.test(e.action)) created.set(str(e.raw.key_id ?? e.raw.keyId ?? e.raw.target), e.time);
      const relevant = events.filter((e) => KEY_USED.test(e.action));
      const findings: ControlFinding[] = [];
      const seen = new Set<string>();
      for (const e of relevant) {
        const id = str(e.raw.key_id ?? e.raw.keyId ?? e.raw.target);
        const born = created.get(id) ?? (e.raw.key_created_at ? new Date(str(e.raw.key_created_at)) : undefined);
        if (!born || Number.isNaN(born.getTime()) || seen.has(id)) continue;
        const days = Math.floor((e.time.getTime() - born.getTime()) / 86_400_000);
        if (days > opts.maxKeyAgeDays) {
          seen.add(id);
          findings.push(finding(e, `Key ${id} was used ${days} days after it was created (limit ${opts.maxKeyAgeDays}).`));
        }
      }
      return { checked: relevant.length, findings };
    },
  },
  "access-outside-hours": {
    title: "Sign-ins happen in business hours",
    severity: "medium",
    run: (events, opts) => {
      const relevant = events.filter((e) => SIGN_IN.test(e.action));
      const outside = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6 || d.getUTCHours() < opts.businessHours.start || d.getUTCHours() >= opts.businessHours.end;
      return { checked: relevant.length, findings: relevant.filter((e) => outside(e.time)).map((e) => finding(e, `Sign-in at ${e.time.toISOString().slice(0, 16).replace("T", " ")} UTC, outside ${opts.businessHours.start}:00–${opts.businessHours.end}:00 Mon–Fri.`)) };
    },
  },
  "failed-signin-burst": {
    title: "No bursts of failed sign-ins",
    severity: "high",
    run: (events) => {
      const failures = events.filter((e) => SIGN_IN_FAILED.test(e.action));
      const byActor = new Map<string, AuditEvent[]>();
      for (const e of failures) (byActor.get(e.actor) ?? byActor.set(e.actor, []).get(e.actor)!).push(e);
      const findings: ControlFinding[] = [];
      for (const list of byActor.values()) {
        list.sort((a, b) => a.time.getTime() - b.time.getTime());
        for (let i = 0, j = 0; j < list.length; j++) {
          while (list[j]!.time.getTime() - list[i]!.time.getTime() > 10 * 60_000) i++;
          if (j - i + 1 === 5) {
            findings.push(finding(list[j]!, `5 failed sign-ins within 10 minutes (first at line ${list[i]!.line}).`));
            break;
          }
        }
      }
      return { checked: failures.length, findings };
    },
  },
  "privilege-change-approved": {
    title: "Privilege changes are approved by someone else",
    severity: "high",
    run: (events) => {
      const relevant = events.filter((e) => PRIVILEGE.test(e.action));
      return {
        checked: relevant.length,
        findings: relevant
          .filter((e) => !str(e.raw.approved_by ?? e.raw.approvedBy) || str(e.raw.approved_by ?? e.raw.approvedBy) === e.actor)
          .map((e) => finding(e, str(e.raw.approved_by ?? e.raw.approvedBy) ? "Approved by the same person who made the change." : "No approver recorded.")),
      };
    },
  },
};

/** The check_controls tool. */
export function checkControls(input: z.output<typeof checkControlsInputSchema>): AuditResult {
  const events = parseEvents(input.events);
  const controls = (input.controls ?? controlIds).map((id): ControlResult => {
    const { title, severity, run } = checks[id];
    const { checked, findings } = run(events, input);
    return { id, title, severity, status: checked === 0 ? "not_applicable" : findings.length ? "fail" : "pass", checked, findings };
  });
  const applicable = controls.filter((c) => c.status !== "not_applicable");
  const score = applicable.length ? Math.round((100 * applicable.filter((c) => c.status === "pass").length) / applicable.length) : 100;
  return { events: events.length, score, controls };
}
