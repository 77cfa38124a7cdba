// GET /api/v1/admin/packages — every package version: status, runs, success rate, revenue, rating
import { listPackagesAdmin } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin" }, async () => ({ data: await listPackagesAdmin() }));
