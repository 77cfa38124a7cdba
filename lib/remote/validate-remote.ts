import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import type { Manifest } from "@/lib/packages/manifest";

// CONTRACT (issue 19, foundations): the publishing pipeline's check of a REMOTE
// version — the endpoint passes the SSRF check, its A2A agent card is read and
// checked against the manifest, and a signed health probe is answered. The
// remote-packages part replaces this body; until then remote versions cannot be
// validated (a clear 409, never a silent pass).

export type RemoteValidation = { agentCard: Prisma.InputJsonValue };

/** Throws ApiError("validation_failed", …, { issues: [{ path, message }] }) naming the manifest path (`remote.endpointUrl`) or card field at fault. */
export async function validateRemoteVersion(providerId: string, manifest: Manifest): Promise<RemoteValidation> {
  void providerId;
  void manifest;
  throw new ApiError("conflict", "Remote packages cannot be validated on this server yet.");
}
