import { formatUsd, formatUsdExact } from "@/lib/money/format";

/** An amount of micro-USD: rounded (or `exact` to the micro-dollar), with the exact value on hover when the shown one is rounded. */
export function Usd({ micros, exact = false, className, testId }: { micros: number; exact?: boolean; className?: string; testId?: string }) {
  const full = formatUsdExact(micros);
  const shown = exact ? full : formatUsd(micros);
  return (
    <span className={className} title={shown === full ? undefined : full} data-testid={testId}>
      {shown}
    </span>
  );
}
