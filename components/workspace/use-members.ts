"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { removeMemberAction } from "@/app/(console)/workspace/actions";
import { apiFetch, unwrapAction } from "@/components/api/fetch-json";

export type Role = "OWNER" | "MEMBER";

export type MemberRow = { userId: string; email: string; name: string | null; role: Role; joinedAt: string };

export const membersQueryKey = ["workspace-members"] as const;

export function useMembers() {
  return useQuery({
    queryKey: membersQueryKey,
    queryFn: async () => (await apiFetch<{ data: MemberRow[] }>("/api/v1/workspace/members")).data,
  });
}

export function useChangeMemberRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      apiFetch<MemberRow>(`/api/v1/workspace/members/${encodeURIComponent(userId)}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role }),
      }),
    // Settled, not success: a refused change puts the select back to the role the server has.
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrapAction(removeMemberAction({ userId })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}
