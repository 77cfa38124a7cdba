import type { AgentCard } from "@a2a-js/sdk";
import { TaskNotFoundError } from "@a2a-js/sdk/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { checkEndpointUrl, EndpointRefused, type OutboundPolicy } from "@/lib/http/outbound";
import type { Manifest } from "@/lib/packages/manifest";
import { a2aSession, CardProblem, cardAuthScheme, cardSnapshot, readAgentCard } from "./a2a";
import { liveSecrets } from "./secrets";

// The publishing pipeline's check of a REMOTE version (issue 19): the endpoint
// passes the SSRF check, its A2A agent card is read and checked against the
// manifest, and a signed health probe is answered. The card is kept on the
// version as a snapshot: runs connect with it, without reading it again.

export type RemoteValidation = { agentCard: Prisma.InputJsonValue };

const JSON_MODE = "application/json";
export const HEALTH_PROBE_TASK_ID = "agora-health-probe";

const invalid = (path: string, message: string) => new ApiError("validation_failed", `${path}: ${message}`, { issues: [{ path, message }] });

/** What the card must say for Agora to run the manifest through it; throws CardProblem naming the card field. */
async function checkCard(card: AgentCard, remote: NonNullable<Manifest["remote"]>, policy?: OutboundPolicy) {
  const i = card.supportedInterfaces.findIndex((s) => s.protocolBinding === "JSONRPC");
  if (i < 0) throw new CardProblem("agentCard.supportedInterfaces", "the card declares no JSONRPC interface; Agora calls agents over A2A JSON-RPC.");
  await checkEndpointUrl(card.supportedInterfaces[i]!.url, policy).catch((err: unknown) => {
    throw err instanceof EndpointRefused ? new CardProblem(`agentCard.supportedInterfaces[${i}].url`, err.message) : err;
  });
  if (card.capabilities?.streaming !== true) throw new CardProblem("agentCard.capabilities.streaming", "must be true: Agora streams every run (progress and billable events arrive as status updates).");
  const skill = remote.skillId === undefined ? undefined : card.skills.find((s) => s.id === remote.skillId);
  if (remote.skillId !== undefined && !skill) throw new CardProblem("remote.skillId", `the card has no skill "${remote.skillId}" (its skills: ${card.skills.map((s) => s.id).join(", ") || "none"}).`);
  for (const [field, modes] of [
    ["defaultInputModes", skill?.inputModes.length ? skill.inputModes : card.defaultInputModes],
    ["defaultOutputModes", skill?.outputModes.length ? skill.outputModes : card.defaultOutputModes],
  ] as const) {
    if (modes.length && !modes.includes(JSON_MODE)) throw new CardProblem(`agentCard.${field}`, `must include ${JSON_MODE}: a run's input and output are JSON.`);
  }
  cardAuthScheme(card);
}

/** Throws ApiError("validation_failed", …, { issues: [{ path, message }] }) naming the manifest path (`remote.endpointUrl`) or card field at fault. */
export async function validateRemoteVersion(providerId: string, manifest: Manifest, policy?: OutboundPolicy): Promise<RemoteValidation> {
  const remote = manifest.remote;
  if (!remote) throw invalid("remote", "a remote package needs its remote section.");
  try {
    await checkEndpointUrl(remote.endpointUrl, policy);
  } catch (err) {
    throw err instanceof EndpointRefused ? invalid("remote.endpointUrl", err.message) : err;
  }
  let card: AgentCard;
  try {
    card = (await readAgentCard(remote.endpointUrl, policy)).card;
  } catch (err) {
    throw invalid("remote.endpointUrl", `Agora could not read the agent card at ${new URL(".well-known/agent-card.json", remote.endpointUrl.replace(/\/?$/, "/"))}: ${(err as Error).message}`);
  }
  try {
    await checkCard(card, remote, policy);
  } catch (err) {
    throw err instanceof CardProblem ? invalid(err.field, err.message) : err;
  }

  const secrets = await liveSecrets(providerId);
  if (cardAuthScheme(card) && !secrets.length) throw invalid("remote.endpointUrl", "the agent card asks for credentials: make a signing secret on your provider page first (Agora authenticates with it).");
  const snapshot = cardSnapshot(card);
  // The signed health probe: a GetTask for a task that cannot exist. "Task not found" = the endpoint speaks A2A and accepted Agora's signature.
  const session = await a2aSession(snapshot, secrets, policy);
  try {
    await session.client.getTask({ id: HEALTH_PROBE_TASK_ID, tenant: "" }, { serviceParameters: session.auth, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    if (!(err instanceof TaskNotFoundError)) {
      const { status, refused } = session.trace;
      const why = refused
        ? refused.message
        : status === 401 || status === 403
          ? "the endpoint refused Agora's signature or credentials (check your signing secret)."
          : `the signed health probe (GetTask "${HEALTH_PROBE_TASK_ID}", expected "task not found") failed: ${(err as Error).message}`;
      throw invalid("remote.endpointUrl", why);
    }
  }
  return { agentCard: snapshot as Prisma.InputJsonValue };
}
