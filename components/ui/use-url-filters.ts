"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { apiFetch } from "@/lib/http/client-errors";

/** Filters kept in the URL's query string (shareable, back-button friendly): read them, and set one. */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ""])) as Record<K, string>;
  /** Sets several at once ("" removes one): one navigation, so none is lost. */
  const setFilters = (values: Partial<Record<K, string>>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values) as [K, string][]) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  };
  const setFilter = (key: K, value: string) => setFilters({ [key]: value } as Partial<Record<K, string>>);
  return { filters, setFilter, setFilters };
}

/** A cursor-paginated list endpoint (`{ data, nextCursor }`) queried with the given filters. */
export function useCursorList<Page extends { data: unknown[]; nextCursor: string | null }>(
  path: string,
  filters: Record<string, string>,
  opts: { refetchInterval?: (first: Page | undefined) => number | false } = {},
) {
  const query = useInfiniteQuery({
    queryKey: [path, filters],
    initialPageParam: "",
    queryFn: ({ pageParam, signal }) => {
      const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      if (pageParam) qs.set("cursor", pageParam);
      return apiFetch<Page>(`${path}?${qs}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (previous) => previous,
    refetchInterval: opts.refetchInterval && ((q) => opts.refetchInterval!(q.state.data?.pages[0])),
  });
  const items = (query.data?.pages.flatMap((p) => p.data) ?? []) as Page["data"];
  return { query, items };
}
