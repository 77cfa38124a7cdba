// GET /api/v1/workspace/pins — the workspace's version pins ({ pins: { [slug]: range } }) and what each resolves to now
// PUT /api/v1/workspace/pins — owners replace the set ({ pins: { [slug]: range } }, at most 100; each must resolve)
import { route } from "@/lib/http/route";
import { setWorkspacePinsBodySchema } from "@/lib/packages/pin-schemas";
import { getWorkspacePins, setWorkspacePins } from "@/lib/packages/pins";

export const GET = route({ permission: "workspace.read" }, async ({ principal }) => getWorkspacePins(principal));

export const PUT = route({ permission: "members.manage", body: setWorkspacePinsBodySchema }, async ({ principal, body, ip }) =>
  setWorkspacePins(principal, body.pins, ip),
);
