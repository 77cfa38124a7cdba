"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(console)/keys/actions";
import { apiFetch, unwrapAction } from "@/lib/http/client-errors";

export type ApiKeyRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export const apiKeysQueryKey = ["api-keys"] as const;

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysQueryKey,
    queryFn: async () => (await apiFetch<{ data: ApiKeyRow[] }>("/api/v1/keys")).data,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string }) => unwrapAction(createApiKeyAction(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryKey }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrapAction(revokeApiKeyAction({ id })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryKey }),
  });
}
