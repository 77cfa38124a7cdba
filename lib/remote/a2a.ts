import { AgentCard } from "@a2a-js/sdk";
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from "@a2a-js/sdk/client";
import { outboundFetch, type OutboundPolicy, type OutboundTrace } from "@/lib/http/outbound";
import { signatureHeaders } from "./secrets";

// Agora as an A2A client (issue 19, remote packages), through @a2a-js/sdk 1.3
// (A2A v1.0: SendStreamingMessage / CancelTask / GetTask; `legacyCompat` makes it
// speak v0.3 — message/stream, tasks/cancel — to an agent whose card says 0.3).
// Every HTTP call goes through outboundFetch (SSRF check at call time, pinned
// connection) and every request body is signed with all the provider's live secrets.

export type A2aSession = { client: Client; trace: OutboundTrace; auth: Record<string, string> };

const legacyCompat = { enabled: true };

function factory(fetchImpl: typeof fetch) {
  return new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat }),
  });
}

/** A signing fetch and what it saw: `secrets` newest (current) first. */
function signingFetch(secrets: string[], policy?: OutboundPolicy) {
  const trace: OutboundTrace = {};
  return { trace, fetchImpl: outboundFetch({ policy, trace, sign: (body) => signatureHeaders(secrets, body) }) };
}

/** Reads an agent's card from `<endpointUrl>/.well-known/agent-card.json` (A2A's well-known path). */
export async function readAgentCard(endpointUrl: string, policy?: OutboundPolicy): Promise<{ card: AgentCard; trace: OutboundTrace }> {
  const { trace, fetchImpl } = signingFetch([], policy);
  const card = await new DefaultAgentCardResolver({ fetchImpl, legacyCompat }).resolve(endpointUrl);
  return { card, trace };
}

/** The card's security scheme Agora authenticates with; undefined = none declared. Throws on a scheme Agora cannot use. */
export function cardAuthScheme(card: AgentCard): { kind: "bearer" } | { kind: "header"; name: string } | undefined {
  const required = card.securityRequirements.flatMap((r) => Object.keys(r.schemes));
  const names = required.length ? required : Object.keys(card.securitySchemes);
  for (const name of names) {
    const scheme = card.securitySchemes[name]?.scheme;
    if (scheme?.$case === "httpAuthSecurityScheme" && scheme.value.scheme.toLowerCase() === "bearer") return { kind: "bearer" };
    if (scheme?.$case === "apiKeySecurityScheme" && scheme.value.location === "header") return { kind: "header", name: scheme.value.name };
    throw new CardProblem(`securitySchemes.${name}`, `Agora authenticates with a bearer token or an API key in a header; "${name}" is ${scheme?.$case ?? "not declared"}${scheme?.$case === "apiKeySecurityScheme" ? ` in the ${scheme.value.location}` : ""}.`);
  }
  return undefined;
}

/** A card that cannot serve a manifest: `field` is the card's JSON path. */
export class CardProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The credential headers for the card's scheme, with the current secret. */
export function authHeaders(card: AgentCard, currentSecret: string | undefined): Record<string, string> {
  const scheme = cardAuthScheme(card);
  if (!scheme || !currentSecret) return {};
  return scheme.kind === "bearer" ? { authorization: `Bearer ${currentSecret}` } : { [scheme.name]: currentSecret };
}

/** A client for a card snapshot (no round trip: the card was read when the version was validated). */
export async function a2aSession(cardJson: unknown, secrets: string[], policy?: OutboundPolicy): Promise<A2aSession> {
  const card = AgentCard.fromJSON(cardJson);
  const { trace, fetchImpl } = signingFetch(secrets, policy);
  return { client: await factory(fetchImpl).createFromAgentCard(card), trace, auth: authHeaders(card, secrets[0]) };
}

/** The card as stored on the version (its v1.0 JSON shape). */
export const cardSnapshot = (card: AgentCard) => AgentCard.toJSON(card) as object;
