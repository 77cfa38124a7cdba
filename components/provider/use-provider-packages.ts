"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import type { listProviderPackages, PackageVersion } from "@/lib/packages/package-versions";
import type { PriceChange } from "@/lib/packages/price-changes";

// The provider's packages, versions and price changes over /api/v1/provider/packages…

export type ProviderPackage = Awaited<ReturnType<typeof listProviderPackages>>[number];
export const providerPackagesKey = ["provider", "packages"] as const;
const priceChangesKey = (slug: string) => ["provider", "packages", slug, "price-changes"] as const;

const send = <T,>(url: string, method: "POST" | "PUT" | "DELETE", body?: unknown) =>
  apiFetch<T>(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
export const versionUrl = (slug: string, version: string) => `/api/v1/provider/packages/${slug}/versions/${version}`;

export function useProviderPackages() {
  return useQuery({ queryKey: providerPackagesKey, queryFn: async () => (await apiFetch<{ packages: ProviderPackage[] }>("/api/v1/provider/packages")).packages });
}

/** Create (no `current`) or replace a version's manifest. */
export function useSaveManifest(current?: { slug: string; version: string }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (manifest: unknown) =>
      (await send<{ version: PackageVersion }>(current ? versionUrl(current.slug, current.version) : "/api/v1/provider/packages", current ? "PUT" : "POST", manifest)).version,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: providerPackagesKey }),
  });
}

/** validate / submit / yank ({ reason }) one version. */
export function useVersionAction(slug: string, version: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, reason }: { action: "validate" | "submit" | "yank"; reason?: string }) =>
      (await send<{ version: PackageVersion }>(`${versionUrl(slug, version)}/${action}`, "POST", reason === undefined ? {} : { reason })).version,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: providerPackagesKey }),
  });
}

export function usePriceChanges(slug: string) {
  return useQuery({ queryKey: priceChangesKey(slug), queryFn: async () => (await apiFetch<{ priceChanges: PriceChange[] }>(`/api/v1/provider/packages/${slug}/price-changes`)).priceChanges });
}

export function useSchedulePriceChange(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (baseFeeMicros: number) => send(`/api/v1/provider/packages/${slug}/price-changes`, "POST", { baseFeeMicros }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["provider", "packages"] }),
  });
}

export function useCancelPriceChange(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send(`/api/v1/provider/packages/${slug}/price-changes/${id}`, "DELETE"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: priceChangesKey(slug) }),
  });
}
