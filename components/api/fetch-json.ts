// Client-safe: turns API error bodies and server-action results into one error
// type the UI renders (message + per-field errors).

export class RequestFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    /** The error body's `details`, for the screens that show more than the message (e.g. a schema diff). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Issue = { path: string; message: string };

function fieldErrorsFrom(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const d = details as { issues?: Issue[]; field?: string } | undefined;
  for (const i of d?.issues ?? []) out[i.path] ??= i.message;
  return out;
}

/** fetch JSON from our API; throws RequestFailure with the server's message. */
export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const e = body?.error;
    throw new RequestFailure(e?.code ?? "http_error", e?.message ?? `Request failed (${res.status}).`, fieldErrorsFrom(e?.details), e?.details);
  }
  return body as T;
}

type ActionResult<T> = {
  data?: T;
  serverError?: { code: string; message: string; details?: unknown };
  validationErrors?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> };
};

/** Unwraps a next-safe-action result, throwing RequestFailure on any error. */
export async function unwrapAction<T>(pending: Promise<ActionResult<T> | undefined>): Promise<T> {
  const result = await pending;
  if (result?.serverError) {
    const { code, message, details } = result.serverError;
    const fields = fieldErrorsFrom(details);
    const field = (details as { field?: string } | undefined)?.field;
    if (field) fields[field] ??= message;
    throw new RequestFailure(code, message, fields);
  }
  if (result?.validationErrors) {
    const fieldErrors: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.validationErrors.fieldErrors ?? {})) if (v?.[0]) fieldErrors[k] = v[0];
    const first = Object.values(fieldErrors)[0] ?? result.validationErrors.formErrors?.[0] ?? "Check the form.";
    throw new RequestFailure("validation_failed", first, fieldErrors);
  }
  return result?.data as T;
}
