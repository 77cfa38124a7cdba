import { Badge } from "@/components/ui/badge";
import type { PackageStatus } from "@/lib/generated/prisma/enums";

const tone: Record<PackageStatus, "neutral" | "brand" | "success" | "warning" | "danger"> = {
  DRAFT: "neutral",
  VALIDATED: "brand",
  SUBMITTED: "warning",
  REJECTED: "danger",
  PUBLISHED: "success",
  SUSPENDED: "danger",
  YANKED: "neutral",
};
const label: Record<PackageStatus, string> = { DRAFT: "draft", VALIDATED: "validated", SUBMITTED: "in review", REJECTED: "rejected", PUBLISHED: "published", SUSPENDED: "suspended", YANKED: "yanked" };

/** A package version's review state as a badge. */
export function VersionStatus({ status }: { status: PackageStatus }) {
  return <Badge tone={tone[status]}>{label[status]}</Badge>;
}
