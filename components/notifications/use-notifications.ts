"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiFetch } from "@/components/api/fetch-json";
import { useEventStream } from "@/components/events/event-stream";
import { NOTIFYING_TYPES, type Category } from "@/lib/notifications/kinds";
import type { Notification } from "@/lib/notifications/notifications";

// The bell's data (API: /api/v1/notifications, lib/notifications). Live: a notifying event on the
// workspace's one stream refetches the list, which applies the person's preferences and grouping.

export const notificationsQueryKey = ["notifications"] as const;
const preferencesQueryKey = ["notification-preferences"] as const;

type NotificationList = { data: Notification[]; unreadCount: number; readUpTo: number; nextBefore: number | null };
export type NotificationPreference = { category: Category; label: string; description: string; enabled: boolean; alwaysOn: boolean };

const send = <T>(url: string, method: string, body: unknown) =>
  apiFetch<T>(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export function useNotifications() {
  const client = useQueryClient();
  const query = useQuery({ queryKey: notificationsQueryKey, queryFn: () => apiFetch<NotificationList>("/api/v1/notifications?limit=30"), staleTime: 30_000 });
  const onEvent = useCallback(() => void client.invalidateQueries({ queryKey: notificationsQueryKey }), [client]);
  useEventStream(onEvent, NOTIFYING_TYPES);
  return query;
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (upTo: number) => send<{ readUpTo: number; unreadCount: number }>("/api/v1/notifications/read", "POST", { upTo }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationsQueryKey }),
  });
}

export function useNotificationPreferences() {
  return useQuery({ queryKey: preferencesQueryKey, queryFn: () => apiFetch<{ categories: NotificationPreference[] }>("/api/v1/me/notification-preferences") });
}

export function useSetNotificationPreference() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: { category: Category; enabled: boolean }) =>
      send<{ categories: NotificationPreference[] }>("/api/v1/me/notification-preferences", "PUT", { categories: { [change.category]: change.enabled } }),
    onSuccess: (data) => {
      client.setQueryData(preferencesQueryKey, data);
      void client.invalidateQueries({ queryKey: notificationsQueryKey });
    },
  });
}
