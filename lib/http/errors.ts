import { z } from "zod";

// One error type, one code → status table, one JSON shape (SPEC §9).

export const errorStatus = {
  invalid_json: 400,
  validation_failed: 400,
  bad_request: 400,
  invalid_signature: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  payment_required: 402,
  insufficient_credits: 402,
  spend_cap_reached: 402,
  key_spend_limit_reached: 402,
  payment_past_due: 402,
  forbidden: 403,
  workspace_suspended: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  email_taken: 409,
  idempotency_key_reused: 409,
  run_finished: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  client_closed_request: 499,
  internal_error: 500,
  service_unavailable: 503,
  billing_not_configured: 503,
  mail_unavailable: 503,
  shutting_down: 503,
  payment_provider_error: 502,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export type FieldIssue = { path: string; message: string };

// zod's own messages ("Too small: expected string to have >=1 characters") are for developers; a schema's
// custom messages ("Enter your name.") are already for people and are kept.
const ZOD_DEFAULT_MESSAGE = /^(Invalid (input|option|string|number|key|element|value|union)|Invalid \w+( address)?$|Too (small|big)|Unrecognized keys?)/;

/** "rolloutPlan" / "rollout_plan" → "Rollout plan". */
const label = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());

const TYPE_NOUN: Record<string, string> = { string: "text", number: "a number", int: "a whole number", boolean: "yes or no", array: "a list", object: "a group of fields", date: "a date" };

/** "files" → "file" (for "add at least one file"). */
const singular = (noun: string) => (/[^s]s$/.test(noun) ? noun.slice(0, -1) : noun);

/** What the person should do about one issue, in the words a form uses. */
function advice(issue: z.core.$ZodIssue, noun: string): string {
  switch (issue.code) {
    case "invalid_type":
      return / received undefined$/.test(issue.message) ? "fill this in." : `enter ${TYPE_NOUN[issue.expected] ?? `a valid ${issue.expected}`}.`;
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "string") return `enter at least ${n} character${n === 1 ? "" : "s"}.`;
      if (issue.origin === "array" || issue.origin === "set") return n === 1 ? `add at least one ${singular(noun)}.` : `add at least ${n} ${noun}.`;
      return `enter a number ${issue.inclusive === false ? "greater than" : "of at least"} ${n}.`;
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "string") return `use at most ${n} character${n === 1 ? "" : "s"}.`;
      if (issue.origin === "array" || issue.origin === "set") return `add at most ${n} ${n === 1 ? singular(noun) : noun}.`;
      if (issue.origin === "file") return `use a file of at most ${n} bytes.`;
      return `enter a number ${issue.inclusive === false ? "less than" : "of at most"} ${n}.`;
    }
    case "invalid_format":
      if (issue.format === "email") return "enter a valid e-mail address, like name@example.com.";
      if (issue.format === "url") return "enter a full address starting with https://.";
      if (issue.format === "regex") return "use the expected format.";
      return `enter a valid ${issue.format.replace(/_/g, " ")}.`;
    case "invalid_value":
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}.` : `choose one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`;
    case "not_multiple_of":
      return `enter a multiple of ${Number(issue.divisor)}.`;
    case "unrecognized_keys":
      return `remove the unknown field${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `"${k}"`).join(", ")}.`;
    default:
      return "check this value.";
  }
}

/** One zod issue as a sentence a person can act on: "Subject: enter at least 1 character.", "Files: add at least one file." */
export function humanIssueMessage(issue: z.core.$ZodIssue, pathPrefix?: string): string {
  if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  const path = [...(pathPrefix ? [pathPrefix] : []), ...issue.path];
  const key = path.findLast((p): p is string => typeof p === "string");
  const what = advice(issue, key ? label(key).toLowerCase() : "items");
  if (!key) return what.replace(/^./, (c) => c.toUpperCase());
  // files.0.content → "Content in file 1"; files.0 → "Files (item 1)"
  const at = path.findLastIndex((p) => typeof p === "number");
  const parent = path[at - 1];
  const item = Number(path[at]) + 1;
  const where = at === -1 ? "" : at === path.length - 1 ? ` (item ${item})` : ` in ${typeof parent === "string" ? singular(label(parent).toLowerCase()) : "item"} ${item}`;
  return `${label(key)}${where}: ${what}`;
}

/** A zod error as field issues: `path` for API clients ("input.files.0.path"), `message` for people. */
export function zodIssues(error: z.ZodError, pathPrefix?: string): FieldIssue[] {
  return error.issues.map((i) => ({ path: [...(pathPrefix ? [pathPrefix] : []), ...i.path].map(String).join(".") || "(root)", message: humanIssueMessage(i, pathPrefix) }));
}

export function validationError(error: z.ZodError, pathPrefix?: string): ApiError {
  const issues = zodIssues(error, pathPrefix);
  const messages = [...new Set(issues.map((i) => i.message))];
  const more = messages.length > 3 ? ` (and ${messages.length - 3} more)` : "";
  return new ApiError("validation_failed", `${messages.slice(0, 3).join(" ")}${more}`, { issues });
}

/** What Prisma, its pg adapter, pg and Node attach to an error (all optional, none trusted). */
type ErrorLike = { code?: unknown; message?: unknown; kind?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown };

// Prisma's "can't reach / timed out / closed / no free connection" codes; PostgreSQL shutting down or starting (57P01–57P03),
// connection exceptions (class 08) and too many connections (53300); the socket errors of a dropped or refused connection.
const UNREACHABLE_CODE = /^(P1001|P1002|P1008|P1017|P2024|57P0[123]|08[0-9A-Z]{3}|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
const UNREACHABLE_KIND = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
// pg and pg-pool throw these without a code ("Connection terminated unexpectedly" when the server drops the socket);
// Prisma's catch-all P2028 when a transaction could not start, or outlived its timeout waiting on the
// database (it was rolled back, so a retry is safe).
const UNREACHABLE_MESSAGE =
  /Can't reach database server|Connection terminated|Unable to start a transaction in the given time|on an expired transaction|server closed the connection|timeout exceeded when trying to connect|Client has encountered a connection error|Code: `(57P0[123]|08[0-9A-Z]{3}|53300)`/i;

/** The error and what it wraps (`cause`, Prisma's driver-adapter error, an AggregateError's errors), a few levels deep. */
function errorChain(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  const queue = [err];
  while (queue.length && chain.length < 10) {
    const e = queue.shift() as ErrorLike;
    if (!e || typeof e !== "object" || chain.includes(e)) continue;
    chain.push(e);
    queue.push(e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return chain;
}

/** A database that cannot be reached (down, restarting, connection dropped or refused): a 503 to retry, not a 500. */
function databaseUnreachable(err: unknown): boolean {
  return errorChain(err).some(
    (e) =>
      (typeof e.code === "string" && UNREACHABLE_CODE.test(e.code)) ||
      (typeof e.message === "string" && UNREACHABLE_MESSAGE.test(e.message)) ||
      (typeof e.kind === "string" && UNREACHABLE_KIND.has(e.kind)),
  );
}

/** Seconds after which a retry can succeed, for the refusals a retry cures. */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = { service_unavailable: 2, shutting_down: 2 };

/** `Retry-After` for an error a retry cures (a 503, or a 429 that says when), nothing otherwise. */
export function errorHeaders(err: ApiError): Record<string, string> {
  const seconds = RETRY_AFTER_SECONDS[err.code] ?? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return seconds === undefined ? {} : { "Retry-After": String(seconds) };
}

/** The client went away (closed the connection, aborted its fetch) before we answered; nobody reads this 499 (nginx's code). */
export const clientClosedRequest = () => new ApiError("client_closed_request", "The client closed the connection before the response.");

/** Maps anything thrown to an ApiError; unknown errors become a generic 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  const { code, name } = (err ?? {}) as ErrorLike & { name?: unknown };
  // Next aborts the request's signal with ResponseAborted when the client disconnects; fetch rejects with AbortError.
  if (name === "AbortError" || name === "ResponseAborted") return clientClosedRequest();
  if (code === "P2002") return new ApiError("conflict", "A record with these values already exists.");
  if (code === "P2025") return new ApiError("not_found", "Not found.");
  if (databaseUnreachable(err)) return new ApiError("service_unavailable", "The database is unavailable for a moment; retry shortly.");
  return new ApiError("internal_error", "Something went wrong on our side. The request id identifies it in our logs.");
}

export function errorBody(err: ApiError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}
