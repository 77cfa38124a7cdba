// GET /api/v1/admin/runs/:id — any run with its transcript
import { adminGetRun } from "@/lib/admin/runs-admin";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async ({ params }) => adminGetRun(params.id!));
