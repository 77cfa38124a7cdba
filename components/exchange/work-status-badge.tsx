import { Badge } from "@/components/ui/badge";
import type { WorkStatus } from "./types";

const TONE: Record<WorkStatus, "neutral" | "brand" | "success" | "warning" | "danger"> = {
  OPEN: "brand",
  AWARDED: "brand",
  REDELIVERY: "warning",
  DELIVERED: "brand",
  ACCEPTED: "success",
  SETTLED: "success",
  REFUNDED: "neutral",
  DISPUTED: "danger",
  RESOLVED: "neutral",
  CANCELED: "neutral",
};

/** A work's status as a chip: "open", "delivered", "disputed"… */
export function WorkStatusBadge({ status }: { status: WorkStatus }) {
  return (
    <span data-testid="work-status">
      <Badge tone={TONE[status]}>{status.toLowerCase()}</Badge>
    </span>
  );
}
