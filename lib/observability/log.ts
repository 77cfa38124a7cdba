import pino, { type Logger } from "pino";

// Structured JSON lines (pino), one object per event. Secrets never reach the
// output: known secret-bearing fields are redacted at any depth, and every string is
// scrubbed of what looks like a credential (Agora API keys, Bearer tokens,
// Stripe and Anthropic keys, webhook secrets, the value of a `token` or `code`
// query parameter in a URL: mailed links, OAuth codes) — so an error message
// quoting a header or a link cannot leak one either.

type Fields = Record<string, unknown>;

// Redacted while scrubbing, in the one walk over the fields: pino's `redact`
// option (wildcard paths) copied every logged object first: ~8× what the
// request line costs without it (bench/route-overhead.ts).
const SECRET_FIELDS = new Set(["password", "currentPassword", "newPassword", "passwordHash", "secret", "token", "apiKey", "authorization", "cookie", "set-cookie", "stripe-signature", "x-api-key"]);

const CREDENTIAL = /\b(agora_live_[0-9A-Za-z]{8,}|sk_(?:live|test)_[0-9A-Za-z]{8,}|sk-ant-[0-9A-Za-z_-]{8,}|whsec_[0-9A-Za-z]{8,}|rk_(?:live|test)_[0-9A-Za-z]{8,})/g;
const BEARER = /\bBearer\s+[^\s"',;]+/gi;
const URL_TOKEN = /([?&](?:token|code)=)[^&#\s"']+/gi;

/** A string with anything credential-like replaced. */
export const scrub = (s: string) => s.replace(CREDENTIAL, "[redacted]").replace(BEARER, "Bearer [redacted]").replace(URL_TOKEN, "$1[redacted]");

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: scrub(value.message), stack: value.stack ? scrub(value.stack) : undefined };
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "[redacted]" : scrubDeep(v, depth + 1)]));
}

export function createLogger(destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level: process.env.AGORA_LOG_LEVEL ?? "info",
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (obj) => scrubDeep(obj) as Record<string, unknown> },
      hooks: {
        // The message string too (fields are scrubbed by formatters.log).
        logMethod(args, method) {
          return method.apply(this, args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
let logger = createLogger();

/** Tests: send lines elsewhere (returns the previous logger to restore). */
export function setLogger(next: Logger): Logger {
  const previous = logger;
  logger = next;
  return previous;
}

export const log = {
  info: (msg: string, fields: Fields = {}) => logger.info(fields, msg),
  warn: (msg: string, fields: Fields = {}) => logger.warn(fields, msg),
  error: (msg: string, fields: Fields = {}) => logger.error(fields, msg),
};
