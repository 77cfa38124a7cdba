// GET /api/v1/provider/contracts — the calling workspace's provider's exchange contracts, newest first, each with
//   its work's title and status and its deliveries: cursor, limit (404 for a workspace that is not a provider)
import { route } from "@/lib/http/route";
import { providerContractPageSchema } from "@/lib/exchange/work-json-schemas";
import { listProviderContracts, listProviderContractsQuerySchema } from "@/lib/exchange/provider-contracts";

export const GET = route({ permission: "workspace.read", query: listProviderContractsQuerySchema, response: providerContractPageSchema, summary: "Your provider's exchange contracts, newest first, with their deliveries" }, async ({ principal, query }) => listProviderContracts(principal.workspace.id, query));
