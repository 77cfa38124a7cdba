import Link from "next/link";

/** "Parent / current" above a detail page. */
export function Breadcrumb({ parent, current, mono }: { parent: { href: string; label: string }; current: string; mono?: boolean }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
      <Link href={parent.href} className="hover:text-slate-800">
        {parent.label}
      </Link>{" "}
      / <span className={mono ? "font-mono text-slate-800" : "text-slate-800"}>{current}</span>
    </nav>
  );
}
