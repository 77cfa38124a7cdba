"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { NavLinks } from "./nav-links";
import type { NavItem } from "./nav-items";

/** Account menu; on small screens it also carries the navigation. */
export function AccountMenu({ email, name, items }: { email: string; name: string | null; items: NavItem[] }) {
  const [pending, setPending] = useState(false);
  return (
    <details className="group relative">
      <summary
        aria-label="Account menu"
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden"
      >
        <span className="flex size-7 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700" aria-hidden>
          {(name ?? email).slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden max-w-40 truncate 2xl:inline">{email}</span>
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200">
        <p className="truncate px-3 py-2 text-xs text-slate-500">
          Signed in as <span className="font-medium text-slate-800">{email}</span>
        </p>
        <NavLinks items={items} vertical className="border-y border-slate-100 py-1 lg:hidden" />
        <Link href="/account" className={buttonClass("ghost", "mt-1 w-full justify-start")}>
          Account and password
        </Link>
        <Button
          variant="ghost"
          className="mt-1 w-full justify-start"
          pending={pending}
          onClick={() => {
            setPending(true);
            void signOut({ callbackUrl: "/" });
          }}
        >
          Sign out
        </Button>
        <p className="px-3 pb-1 text-xs text-slate-500">Signing out ends your sessions on every device.</p>
      </div>
    </details>
  );
}
