import type { FailureCause } from "@/lib/generated/prisma/enums";

// Failure attribution (SPEC §13): who a failed run's failure is due to, from its
// error code. What a package's own code or manifest got wrong is its
// provider's — the platform's for a built-in (Agora publishes those), the
// third party's for a provider's package; outages, time-outs and shutdowns are
// the platform's. Failed runs are free whatever the cause; provider-caused
// ones count toward the failure-farming cap (lib/runs/provider-failure-cap.ts).

const CONSUMER = new Set(["consumer_input"]);
/** The package's fault: a tool error, an answer off its output schema, its turn limit, its offline plan. */
const PACKAGE = new Set(["tool_error", "invalid_output", "turn_limit", "manifest_error"]);

export function failureCause(code: string, thirdParty: boolean): FailureCause {
  if (code === "canceled") return "canceled";
  if (CONSUMER.has(code)) return "consumer_input";
  return PACKAGE.has(code) && thirdParty ? "provider" : "platform";
}
