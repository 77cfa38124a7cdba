// GET /api/v1/admin/runs/:id — any run with its transcript
import { idParams } from "@/lib/http/params";
import { adminGetRun } from "@/lib/admin/runs-admin";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", params: idParams }, async ({ params }) => adminGetRun(params.id));
