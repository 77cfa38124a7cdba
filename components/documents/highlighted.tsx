/** Text with [start, end) ranges marked — rendered as text nodes, never as HTML. */
export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    if (a < at) continue;
    parts.push(text.slice(at, a), <mark key={a} className="rounded bg-amber-100 px-0.5 text-slate-900">{text.slice(a, b)}</mark>);
    at = b;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
