import type { ChartSpec } from "@/lib/agents/report-generator/chart-spec";

// Chart specs from agents (chart_spec) drawn as plain SVG: bar, line, pie.
// Each chart carries its title as an accessible name and lists its values in a
// visually hidden table for screen readers.

const COLORS = ["#4f46e5", "#0891b2", "#ea580c", "#16a34a", "#db2777", "#64748b"];
const W = 560;
const H = 260;
const PAD = { top: 16, right: 16, bottom: 48, left: 56 };

const short = (n: number) => new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 }).format(n);

function Axes({ max }: { max: number }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / (max || 1));
  return (
    <g className="text-[10px]" fill="#64748b">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
          <text x={PAD.left - 6} y={y(t) + 3} textAnchor="end">
            {short(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

function XLabels({ labels, step }: { labels: string[]; step: number }) {
  return (
    <g className="text-[10px]" fill="#475569">
      {labels.map((l, i) => (
        <text key={i} x={PAD.left + step * (i + 0.5)} y={H - PAD.bottom + 14} textAnchor="middle">
          {l.length > 12 ? `${l.slice(0, 11)}…` : l}
        </text>
      ))}
    </g>
  );
}

export function Chart({ spec }: { spec: ChartSpec }) {
  const labels = spec.series[0]?.points.map((p) => p.x) ?? [];
  const max = Math.max(0, ...spec.series.flatMap((s) => s.points.map((p) => p.y)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, labels.length);
  const y = (v: number) => PAD.top + plotH * (1 - Math.max(0, v) / (max || 1));

  let body;
  if (spec.type === "pie") {
    const points = spec.series[0]?.points ?? [];
    const total = points.reduce((a, p) => a + p.y, 0) || 1;
    let angle = -Math.PI / 2;
    const r = plotH / 2 + 10;
    const cx = W / 2;
    const cy = PAD.top + r;
    body = points.map((p, i) => {
      const a0 = angle;
      angle += (p.y / total) * Math.PI * 2;
      const large = angle - a0 > Math.PI ? 1 : 0;
      const d = `M${cx},${cy} L${cx + r * Math.cos(a0)},${cy + r * Math.sin(a0)} A${r},${r} 0 ${large} 1 ${cx + r * Math.cos(angle)},${cy + r * Math.sin(angle)} Z`;
      return <path key={i} d={d} fill={COLORS[i % COLORS.length]} stroke="white" />;
    });
  } else if (spec.type === "line") {
    body = (
      <>
        <Axes max={max} />
        {spec.series.map((s, si) => (
          <polyline key={s.name} fill="none" stroke={COLORS[si % COLORS.length]} strokeWidth={2} points={s.points.map((p, i) => `${PAD.left + step * (i + 0.5)},${y(p.y)}`).join(" ")} />
        ))}
        <XLabels labels={labels} step={step} />
      </>
    );
  } else {
    const barW = (step * 0.7) / spec.series.length;
    body = (
      <>
        <Axes max={max} />
        {spec.series.map((s, si) =>
          s.points.map((p, i) => <rect key={`${si}-${i}`} x={PAD.left + step * i + step * 0.15 + barW * si} y={y(p.y)} width={barW} height={PAD.top + plotH - y(p.y)} fill={COLORS[si % COLORS.length]} rx={2} />),
        )}
        <XLabels labels={labels} step={step} />
      </>
    );
  }

  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-slate-800">{spec.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={spec.title} className="h-auto w-full max-w-xl" data-testid="chart">
        {body}
      </svg>
      {(spec.series.length > 1 || spec.type === "pie") && (
        <ul className="flex flex-wrap gap-3 text-xs text-slate-600">
          {(spec.type === "pie" ? labels : spec.series.map((s) => s.name)).map((name, i) => (
            <li key={name} className="flex items-center gap-1">
              <span className="inline-block size-2.5 rounded-sm" style={{ background: COLORS[i % COLORS.length] }} aria-hidden />
              {name}
            </li>
          ))}
        </ul>
      )}
      <table className="sr-only">
        <caption>{spec.title}</caption>
        <tbody>
          {labels.map((l, i) => (
            <tr key={i}>
              <th>{l}</th>
              {spec.series.map((s) => (
                <td key={s.name}>{s.points[i]?.y}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
