"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { useEventStream } from "@/components/events/event-stream";
import { balanceQueryKey } from "@/components/layout/balance-badge";
import type { BidJson, DeliveryJson, WorkDetail, WorkJson } from "./types";

// The exchange over /api/v1/work…: one work (live from the workspace's events), and its actions.

export const workKey = (id: string) => ["work", id] as const;

/** The live events that change a work or the lists of works. */
export const WORK_EVENTS = ["work.*", "bid.*"] as const;

export const sendJson = <T,>(url: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  apiFetch<T>(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

/** One work, read again when the workspace's live events say it or its bids changed (no polling). */
export function useWork(id: string) {
  const queryClient = useQueryClient();
  useEventStream((event) => {
    if (event.data.workId === id) void queryClient.invalidateQueries({ queryKey: workKey(id) });
  }, WORK_EVENTS);
  return useQuery({
    queryKey: workKey(id),
    queryFn: ({ signal }) => apiFetch<WorkDetail>(`/api/v1/work/${id}`, { signal }),
  });
}

/**
 * A POST on the work (`/api/v1/work/:id/<path>`) that refreshes it and the balance after. `keyed` sends an
 * Idempotency-Key made once per mounted component and request: a double click or a retry is one action.
 */
export function useWorkAction<Vars, Result = WorkJson>(workId: string, request: (vars: Vars) => { path: string; body?: unknown }, { keyed = false } = {}) {
  const queryClient = useQueryClient();
  const [instance] = useState(() => crypto.randomUUID());
  return useMutation({
    mutationFn: (vars: Vars) => {
      const { path, body = {} } = request(vars);
      const key = `${instance}:${path}:${JSON.stringify(body)}`.slice(0, 200);
      return sendJson<Result>(`/api/v1/work/${workId}/${path}`, body, keyed ? { "idempotency-key": key } : {});
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: workKey(workId) });
      void queryClient.invalidateQueries({ queryKey: balanceQueryKey });
    },
  });
}

export const useAward = (workId: string) => useWorkAction(workId, (bidId: string) => ({ path: "award", body: { bidId } }), { keyed: true });
export const useCancelWork = (workId: string) => useWorkAction(workId, () => ({ path: "cancel" }));
export const useAccept = (workId: string) => useWorkAction(workId, () => ({ path: "accept" }), { keyed: true });
export const useDispute = (workId: string) => useWorkAction(workId, (reason: string) => ({ path: "dispute", body: { reason } }));
export const usePlaceBid = (workId: string) =>
  useWorkAction<{ package?: string; priceMicros: number; promisedMinutes: number; note?: string }, BidJson>(workId, (body) => ({ path: "bids", body }));
export const useWithdrawBid = (workId: string) => useWorkAction<string, BidJson>(workId, (bidId) => ({ path: `bids/${bidId}/withdraw` }));
export const useDeliver = (workId: string) => useWorkAction<{ output: unknown } | { run: true }, DeliveryJson>(workId, (body) => ({ path: "deliveries", body }));
