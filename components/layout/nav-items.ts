// The console's sections. Catalog, Runs, Usage and Billing join this list as
// their pages land (see README "Status"); Admin shows for platform admins only.
export type NavItem = { href: string; label: string; adminOnly?: boolean };

export const navItems: NavItem[] = [
  { href: "/keys", label: "Keys" },
  { href: "/workspace", label: "Workspace" },
];
