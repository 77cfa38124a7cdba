// The site's sections. Admin shows for platform admins only; public items
// show to visitors who are not signed in too.
export type NavItem = { href: string; label: string; adminOnly?: boolean; public?: boolean; /** active on this path only, not below it */ exact?: boolean };

export const navItems: NavItem[] = [
  { href: "/agents", label: "Agents", public: true },
  { href: "/runs", label: "Runs" },
  { href: "/exchange", label: "Exchange" },
  { href: "/usage", label: "Usage" },
  { href: "/billing", label: "Billing" },
  { href: "/documents", label: "Documents" },
  { href: "/routing", label: "Routing" },
  { href: "/keys", label: "Keys" },
  { href: "/workspace", label: "Workspace" },
  { href: "/provider", label: "Provider" },
  { href: "/admin", label: "Admin", adminOnly: true },
];
