// GET /api/v1/workspace/pins — the workspace's version pins ({ pins: { [slug]: range } }) and what each resolves to now
// PUT /api/v1/workspace/pins — owners replace the set ({ pins: { [slug]: range } }, at most 100; each must resolve)
import { route } from "@/lib/http/route";
import { setWorkspacePinsBodySchema, workspacePinsSchema } from "@/lib/packages/pin-schemas";
import { getWorkspacePins, setWorkspacePins } from "@/lib/packages/pins";

export const GET = route({ permission: "workspace.read", response: workspacePinsSchema, summary: "The workspace's version pins and what each resolves to now." }, async ({ principal }) => getWorkspacePins(principal));

export const PUT = route({ permission: "members.manage", body: setWorkspacePinsBodySchema, response: workspacePinsSchema, summary: "Replace the workspace's version pins (owners)." }, async ({ principal, body, ip }) =>
  setWorkspacePins(principal, body.pins, ip),
);
