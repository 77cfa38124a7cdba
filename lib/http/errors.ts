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

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

export function validationError(error: z.ZodError, pathPrefix?: string): ApiError {
  const issues = zodIssues(error).map((i) => (pathPrefix ? { ...i, path: i.path === "(root)" ? pathPrefix : `${pathPrefix}.${i.path}` } : i));
  const fields = [...new Set(issues.map((i) => i.path))].join(", ");
  return new ApiError("validation_failed", `Invalid input: ${fields}`, { issues });
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
