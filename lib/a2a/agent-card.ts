import { A2A_PROTOCOL_VERSION, type AgentCard } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
import { getAgent, type AgentDetail } from "@/lib/agents/catalog";

// Every published package as an A2A agent (issue 22): its card, served at
// /api/a2a/<slug>/.well-known/agent-card.json (A2A's well-known path under the
// agent's base URL, where @a2a-js/sdk's card resolver looks), in A2A v1.0's JSON
// shape. One skill — the package — tagged with its capabilities, its example input
// as the example; the JSON Schemas of its input and output travel in a card
// extension (a skill has no schema field). Callers authenticate with an Agora API
// key as an HTTP bearer token; the JSON-RPC endpoint speaks v1.0 and v0.3.

/** The JSON-RPC endpoint of a package's agent, which is also its base URL. */
export const a2aEndpoint = (origin: string, slug: string) => `${origin}/api/a2a/${slug}`;

/** The card's security scheme: an Agora API key, sent as `Authorization: Bearer <key>`. */
export const API_KEY_SCHEME = "agoraApiKey";

/** The card extension carrying the package's JSON Schemas (params: inputSchema, outputSchema); a host-independent id clients can match. */
export const SCHEMAS_EXTENSION = "urn:agora:a2a:json-schemas:v1";

const JSON_MODE = "application/json";

/** The card of a package's newest published version (404 ApiError for an unknown or unpublished slug). */
export async function packageAgentCard(slug: string, origin: string): Promise<AgentCard> {
  return agentCardOf(await getAgent(slug), origin);
}

function agentCardOf(pkg: AgentDetail, origin: string): AgentCard {
  const url = a2aEndpoint(origin, pkg.slug);
  const security = [{ schemes: { [API_KEY_SCHEME]: { list: [] } } }];
  return {
    name: pkg.name,
    description: pkg.description || pkg.summary,
    version: pkg.version,
    supportedInterfaces: duplicateInterfacesForLegacy([{ url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: A2A_PROTOCOL_VERSION }], ["JSONRPC"]),
    provider: { organization: pkg.provider?.name ?? "Agora", url: origin },
    documentationUrl: `${origin}/agents/${pkg.slug}`,
    capabilities: {
      streaming: true,
      pushNotifications: false,
      extendedAgentCard: false,
      extensions: [
        {
          uri: SCHEMAS_EXTENSION,
          description: "The JSON Schemas of the package's input (the message's data part) and output (the task's artifact).",
          required: false,
          params: { inputSchema: pkg.inputSchema, outputSchema: pkg.outputSchema },
        },
      ],
    },
    securitySchemes: {
      [API_KEY_SCHEME]: { scheme: { $case: "httpAuthSecurityScheme", value: { scheme: "bearer", bearerFormat: "Agora API key", description: "An Agora API key (Settings → API keys) as `Authorization: Bearer <key>`; runs are charged to its workspace." } } },
    },
    securityRequirements: security,
    defaultInputModes: [JSON_MODE],
    defaultOutputModes: [JSON_MODE],
    skills: [
      {
        id: pkg.slug,
        name: pkg.name,
        description: `${pkg.summary} Send the input as a data part (a JSON object matching the input schema); the output comes back as the task's artifact (a data part).`,
        tags: pkg.capabilities,
        examples: pkg.exampleInput === null ? [] : [JSON.stringify(pkg.exampleInput)],
        inputModes: [JSON_MODE],
        outputModes: [JSON_MODE],
        securityRequirements: security,
      },
    ],
    signatures: [],
  };
}
