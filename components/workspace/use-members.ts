"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { addMemberAction, removeMemberAction } from "@/app/(console)/workspace/actions";
import { apiFetch, unwrapAction } from "@/components/api/fetch-json";

export type MemberRow = { userId: string; email: string; name: string | null; role: "OWNER" | "MEMBER"; joinedAt: string };

export const membersQueryKey = ["workspace-members"] as const;

export function useMembers() {
  return useQuery({
    queryKey: membersQueryKey,
    queryFn: async () => (await apiFetch<{ data: MemberRow[] }>("/api/v1/workspace/members")).data,
  });
}

export function useAddMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: "OWNER" | "MEMBER" }) => unwrapAction(addMemberAction(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unwrapAction(removeMemberAction({ userId })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membersQueryKey }),
  });
}
