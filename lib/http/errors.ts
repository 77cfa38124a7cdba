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
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  billing_not_configured: 503,
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

type PrismaLikeError = { code?: unknown; name?: unknown; meta?: unknown };

/** Maps anything thrown to an ApiError; unknown errors become a generic 500. */
/** A database that cannot be reached (down, restarting, connection dropped): a 503 to retry, not a 500. */
function databaseUnreachable(e: PrismaLikeError): boolean {
  if (e.code === "P1001" || e.code === "P1002" || e.code === "P1008" || e.code === "P1017") return true;
  const kind = (e.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined)?.driverAdapterError?.cause?.kind;
  if (kind === "DatabaseNotReachable" || kind === "ConnectionClosed" || kind === "SocketTimeout") return true;
  // PostgreSQL shutting down or starting (57P01–57P03) and connection exceptions (class 08), as the pg adapter reports them.
  const message = (e as { message?: unknown }).message;
  return typeof message === "string" && /Can't reach database server|Connection terminated|server closed the connection|Code: `(57P0[123]|08[0-9A-Z]{3})`/i.test(message);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  const e = err as PrismaLikeError;
  if (e && typeof e === "object" && typeof e.code === "string") {
    if (e.code === "P2002") return new ApiError("conflict", "A record with these values already exists.");
    if (e.code === "P2025") return new ApiError("not_found", "Not found.");
    if (databaseUnreachable(e)) return new ApiError("service_unavailable", "The database is unavailable for a moment; retry shortly.");
  }
  return new ApiError("internal_error", "Something went wrong on our side. The request id identifies it in our logs.");
}

export function errorBody(err: ApiError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}
