import { NavLinks } from "@/components/layout/nav-links";
import type { NavItem } from "@/components/layout/nav-items";

const sections: NavItem[] = [
  { href: "/admin", label: "Overview", exact: true },
  { href: "/admin/workspaces", label: "Workspaces" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/packages", label: "Packages" },
  { href: "/admin/providers", label: "Providers" },
  { href: "/admin/reviews", label: "Reviews" },
  { href: "/admin/moderation", label: "Moderation" },
  { href: "/admin/disputes", label: "Disputes" },
  { href: "/admin/runs", label: "Runs" },
  { href: "/admin/pricing", label: "Tiers & prices" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/health", label: "Health" },
];

/** The admin console's sections. */
export function AdminNav() {
  return <NavLinks items={sections} label="Admin" className="border-b border-slate-200 pb-2" />;
}
