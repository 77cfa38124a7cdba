import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";

// Presentation only: every admin page authorizes itself (requireAdmin), and every admin route handler too.
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="space-y-6">
      <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">Admin console</p>
      <AdminNav />
      {children}
    </div>
  );
}
