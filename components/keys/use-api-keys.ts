"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createApiKeyAction, revokeApiKeyAction } from "@/app/(console)/keys/actions";
import { apiFetch, unwrapAction } from "@/components/api/fetch-json";

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  monthlySpendLimitMicros: number | null;
  spentThisMonthMicros: number;
  /** The key's version pins (slug → range), ahead of the workspace's. */
  pins: Record<string, string>;
};

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
    mutationFn: (input: { name: string; monthlySpendLimitMicros: number | null }) => unwrapAction(createApiKeyAction(input)),
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

/** Sets (or, with null, removes) a key's monthly spend limit. */
export function useSetKeyLimit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, monthlySpendLimitMicros }: { id: string; monthlySpendLimitMicros: number | null }) =>
      apiFetch(`/api/v1/keys/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ monthlySpendLimitMicros }) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryKey }),
  });
}

/** Replaces a key's version pins (PATCH /api/v1/keys/:id { pins }). */
export function useSetKeyPins() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, pins }: { id: string; pins: Record<string, string> }) =>
      apiFetch(`/api/v1/keys/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ pins }) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryKey }),
  });
}
