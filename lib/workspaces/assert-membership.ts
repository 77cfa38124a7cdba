import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";

/** Confirms the user belongs to the workspace they want to act in. */
export async function assertMembership(userId: string, workspaceId: string): Promise<void> {
  const m = await db.membership.findUnique({ where: { userId_workspaceId: { userId, workspaceId } }, select: { id: true } });
  if (!m) throw new ApiError("not_found", "No such workspace.");
}
