"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { CreateInvitationBody } from "@/lib/invitations/schemas";
import type { Role } from "./use-members";

export type InvitationRow = { id: string; email: string; role: Role; status: string; createdAt: string; expiresAt: string };

export const invitationsPath = "/api/v1/workspace/invitations";

/** The workspace's pending invitations (owners). */
export function useInvitations() {
  return useCursorList<{ data: InvitationRow[]; nextCursor: string | null }>(invitationsPath, {});
}

export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateInvitationBody) =>
      apiFetch<InvitationRow>(invitationsPath, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [invitationsPath] }),
  });
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<null>(`${invitationsPath}/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [invitationsPath] }),
  });
}
