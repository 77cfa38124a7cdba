import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import type { Principal } from "@/lib/auth/principal";
import { canTryAnotherVersion } from "@/lib/packages/upgrade-preview";

/** The agent page's way into an upgrade preview: shown when the workspace has runs of the agent and another version is published. */
export async function TryAnotherVersion({ principal, slug }: { principal: Principal; slug: string }) {
  if (!(await canTryAnotherVersion(principal, slug))) return null;
  return (
    <Link href={`/agents/${slug}/upgrade`} className={buttonClass("secondary")}>
      Try another version
    </Link>
  );
}
