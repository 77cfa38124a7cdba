// GET /api/v1/admin/users?q= — search users (email, name, id)
import { searchUsers } from "@/lib/admin/users";
import { adminUsersPageSchema, searchQuerySchema } from "@/lib/admin/schemas";
import { route } from "@/lib/http/route";

export const GET = route({ permission: "platform.admin", query: searchQuerySchema, response: adminUsersPageSchema, summary: "Search users by e-mail, name or id" }, async ({ query }) => searchUsers(query));
