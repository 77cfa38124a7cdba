// GET /api/v1/admin/packages — every package version: status, runs, success rate, revenue, rating
import { listPackagesAdmin } from "@/lib/admin/catalog-admin";
import { route } from "@/lib/http/route";
import { adminPackagesSchema } from "@/lib/admin/schemas";

export const GET = route({ permission: "platform.admin", response: adminPackagesSchema, summary: "List every package version with its runs, success rate, revenue and rating" }, async () => ({ data: await listPackagesAdmin() }));
