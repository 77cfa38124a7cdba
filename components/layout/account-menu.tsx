"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { useMenu } from "./use-menu";

/** The account menu, under the avatar. */
export function AccountMenu({ email, name }: { email: string; name: string | null }) {
  const [pending, setPending] = useState(false);
  const { rootRef, buttonProps, panelProps } = useMenu();
  return (
    <div ref={rootRef} className="relative">
      <button {...buttonProps} aria-label="Account menu" className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
        <span className="flex size-7 items-center justify-center rounded-full bg-brand-100 font-semibold text-brand-700" aria-hidden>
          {(name ?? email).slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden max-w-40 truncate 2xl:inline">{email}</span>
      </button>
      <div {...panelProps} className="absolute right-0 z-20 mt-2 w-64 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200">
        <p className="truncate px-3 py-2 text-xs text-slate-500">
          Signed in as <span className="font-medium text-slate-800">{email}</span>
        </p>
        <Link href="/account" className={buttonClass("ghost", "mt-1 w-full justify-start border-t border-slate-100")}>
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
    </div>
  );
}
