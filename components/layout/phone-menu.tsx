"use client";

import { NavLinks } from "./nav-links";
import type { NavItem } from "./nav-items";
import { useMenu } from "./use-menu";

/** Below the `lg` breakpoint the header has no room for the navigation: a menu button shows it. */
export function PhoneMenu({ items }: { items: NavItem[] }) {
  const { rootRef, buttonProps, panelProps } = useMenu();
  return (
    <div ref={rootRef} className="lg:hidden">
      <button {...buttonProps} aria-label="Menu" className="flex size-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100">
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" aria-hidden>
          {buttonProps["aria-expanded"] ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
      </button>
      <div {...panelProps} className="absolute inset-x-0 top-full z-30 border-b border-slate-200 bg-white px-4 py-2 shadow-lg sm:px-6">
        <NavLinks items={items} vertical />
      </div>
    </div>
  );
}
