"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";

/** A JSON request to an admin route. */
export const adminSend = <T,>(url: string, method: "PATCH" | "POST" | "DELETE", body?: unknown, headers?: Record<string, string>) =>
  apiFetch<T>(url, { method, headers: { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

/** A mutation that refreshes the queries under each of `invalidate` when it succeeds. */
export function useAdminMutation<V>(send: (v: V) => Promise<unknown>, ...invalidate: QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: send, onSuccess: () => Promise.all(invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey }))) });
}
