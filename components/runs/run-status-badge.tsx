import { Badge } from "@/components/ui/badge";

const tones = { QUEUED: "neutral", RUNNING: "brand", SUCCEEDED: "success", FAILED: "danger", CANCELED: "neutral" } as const;

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={tones[status as keyof typeof tones] ?? "neutral"}>{status.toLowerCase()}</Badge>;
}
