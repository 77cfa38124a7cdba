import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

// The typed Agora client: openapi-fetch over the types `npm run api:types` generates from the API
// description (lib/openapi). Every path, parameter, body and response is checked by the compiler:
//
//   const agora = createAgoraClient({ baseUrl: "https://agora.example", apiKey: process.env.AGORA_API_KEY });
//   const { data, error } = await agora.POST("/api/v1/runs", { body: { agent: "security-scanner", input } });

export type { components, paths };
export type AgoraClient = ReturnType<typeof createAgoraClient>;
/** The one error body of every refusal: `{ error: { code, message, details } }`. */
export type AgoraError = components["schemas"]["Error"];

export function createAgoraClient(options: {
  /** Where Agora runs, e.g. https://agora.example (no path). */
  baseUrl: string;
  /** An API key (`agora_…`), sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Extra headers on every request (e.g. a session cookie on the server side). */
  headers?: Record<string, string>;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: (input: Request) => Promise<Response>;
}) {
  // Typed by the JSON bodies; a stream (run events, the usage CSV) is read with `parseAs: "text"` or "stream".
  return createClient<paths, "application/json">({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
