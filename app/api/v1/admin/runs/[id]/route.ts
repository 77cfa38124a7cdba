// GET /api/v1/admin/runs/:id — any run with its transcript
import { idParams } from "@/lib/http/params";
import { adminGetRun } from "@/lib/admin/runs-admin";
import { route } from "@/lib/http/route";
import { adminRunSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", params: idParams, response: adminRunSchema, summary: "Any run with its transfers, revenue split and transcript" }, async ({ params }) => adminGetRun(params.id));
