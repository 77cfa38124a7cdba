// The site's sections. Usage and Billing join this list as their pages land
// (see README "Status"); Admin shows for platform admins only; public items
// show to visitors who are not signed in too.
export type NavItem = { href: string; label: string; adminOnly?: boolean; public?: boolean };

export const navItems: NavItem[] = [
  { href: "/agents", label: "Agents", public: true },
  { href: "/runs", label: "Runs" },
  { href: "/documents", label: "Documents" },
  { href: "/routing", label: "Routing" },
  { href: "/keys", label: "Keys" },
  { href: "/workspace", label: "Workspace" },
];
