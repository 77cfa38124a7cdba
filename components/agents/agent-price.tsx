import { formatUsd } from "@/components/ui/format";
import type { AgentDetail } from "@/lib/agents/catalog";

/**
 * The agent page's one statement of how a run is priced, with the itemised
 * detail folded under it. The form's quote then prices the input as typed.
 */
export function AgentPrice({ agent, offline }: { agent: Pick<AgentDetail, "baseFeeMicros" | "model" | "maxOutputTokens" | "pendingPriceChange">; offline: boolean }) {
  const rise = agent.pendingPriceChange;
  return (
    <>
      {rise && (
        <p className="text-sm font-medium text-amber-800" data-testid="price-rise">
          Price rises to {formatUsd(rise.baseFeeMicros)} per run on {new Date(rise.effectiveAt).toLocaleDateString("en", { dateStyle: "long", timeZone: "UTC" })}.
        </p>
      )}
      <details className="text-sm text-slate-700" data-testid="agent-price">
        <summary className="cursor-pointer">
          <strong className="tabular-nums text-slate-900">{formatUsd(agent.baseFeeMicros)}</strong> per run {offline ? "(the offline model's tokens are free)" : "+ the tokens its model uses"}; failed runs are free.{" "}
          <span className="text-brand-700 underline">How a run is priced</span>
        </summary>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-600">
          <li>Platform fee: {formatUsd(agent.baseFeeMicros)} for each run.</li>
          <li>
            Model tokens:{" "}
            {offline ? "none on this deployment (offline model, $0)" : `${agent.model} at its list price × your plan's multiplier`}, at most {agent.maxOutputTokens.toLocaleString("en")} output tokens per turn.
          </li>
          <li>Before you run, the form shows the expected price for your input; the most the run can cost is held from your balance while it runs, and you pay only what it used.</li>
          <li>A run that fails is not charged.</li>
        </ul>
      </details>
    </>
  );
}
