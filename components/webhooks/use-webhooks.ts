"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api/fetch-json";
import { useCursorList } from "@/components/ui/use-url-filters";
import type { DeliveryJson, WebhookJson } from "@/lib/webhooks/schemas";

// The Webhooks page's calls to /api/v1/webhooks (owners).

export const webhooksPath = "/api/v1/webhooks";
const deliveriesPath = (id: string) => `${webhooksPath}/${encodeURIComponent(id)}/deliveries`;
const json = (method: string, body?: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

export function useWebhooks() {
  return useQuery({ queryKey: [webhooksPath], queryFn: async () => (await apiFetch<{ data: WebhookJson[] }>(webhooksPath)).data });
}

/** The delivery log of one endpoint, newest first; refreshed every 5 s while a delivery is pending. */
export function useDeliveries(id: string) {
  return useCursorList<{ data: DeliveryJson[]; nextCursor: string | null }>(deliveriesPath(id), {}, { refetchInterval: (first) => (first?.data.some((d) => d.state === "PENDING") ? 5_000 : false) });
}

function useWebhookMutation<I, O>(call: (input: I) => Promise<O>, deliveriesOf?: (input: I) => string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async (_out, input) => {
      await queryClient.invalidateQueries({ queryKey: [webhooksPath] });
      if (deliveriesOf) await queryClient.invalidateQueries({ queryKey: [deliveriesPath(deliveriesOf(input))] });
    },
  });
}

export const useCreateWebhook = () =>
  useWebhookMutation((input: { url: string; description: string; eventTypes: string[] }) => apiFetch<{ webhook: WebhookJson; secret: string }>(webhooksPath, json("POST", input)));

export const useUpdateWebhook = () =>
  useWebhookMutation(({ id, ...change }: { id: string; url?: string; description?: string; eventTypes?: string[]; enabled?: boolean }) =>
    apiFetch<WebhookJson>(`${webhooksPath}/${encodeURIComponent(id)}`, json("PATCH", change)),
  );

export const useDeleteWebhook = () => useWebhookMutation((id: string) => apiFetch<null>(`${webhooksPath}/${encodeURIComponent(id)}`, { method: "DELETE" }));

export const useRotateSecret = () => useWebhookMutation((id: string) => apiFetch<{ webhook: WebhookJson; secret: string }>(`${webhooksPath}/${encodeURIComponent(id)}/rotate-secret`, json("POST")));

export const useSendTest = () =>
  useWebhookMutation(
    (id: string) => apiFetch<DeliveryJson>(`${webhooksPath}/${encodeURIComponent(id)}/test`, json("POST")),
    (id) => id,
  );

export const useResend = () =>
  useWebhookMutation(
    ({ id, deliveryId }: { id: string; deliveryId: string }) => apiFetch<DeliveryJson>(`${deliveriesPath(id)}/${encodeURIComponent(deliveryId)}/resend`, json("POST")),
    ({ id }) => id,
  );

/** "run.*, balance.changed" → ["run.*", "balance.changed"]. */
export const parseFilter = (text: string) => text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
