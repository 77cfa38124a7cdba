// "Copy as API call": the request that starts the same run, with the real input,
// for a terminal (curl) and for code (TypeScript fetch). The key stays a variable.

/** One shell word: single quotes, with each ' closed, escaped and reopened — safe for any text. */
export const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function curlCommand(origin: string, agent: string, input: unknown): string {
  return [
    `curl -sS -X POST ${shellQuote(`${origin}/api/v1/runs`)}`,
    `-H "Authorization: Bearer $AGORA_API_KEY"`,
    `-H 'Content-Type: application/json'`,
    `--data-raw ${shellQuote(JSON.stringify({ agent, input }))}`,
  ].join(" \\\n  ");
}

export function fetchSnippet(origin: string, agent: string, input: unknown): string {
  const body = JSON.stringify({ agent, input }, null, 2).replaceAll("\n", "\n  ");
  return [
    `const response = await fetch(${JSON.stringify(`${origin}/api/v1/runs`)}, {`,
    `  method: "POST",`,
    "  headers: { Authorization: `Bearer ${process.env.AGORA_API_KEY}`, \"Content-Type\": \"application/json\" },",
    `  body: JSON.stringify(${body}),`,
    `});`,
    `const run = await response.json(); // 201: the queued run; follow it at /api/v1/runs/\${run.id}/events`,
  ].join("\n");
}
