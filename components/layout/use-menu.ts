"use client";

import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState, type MouseEvent } from "react";

/**
 * A header menu's open state (the phone menu, the account menu): the button toggles it and
 * focus moves into it; Esc closes it and gives focus back to the button; a click outside it
 * and a navigation close it.
 */
export function useMenu() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [openOn, setOpenOn] = useState(pathname);
  // Closed on navigation, before the next page paints (React's "adjust state on a prop change").
  if (openOn !== pathname) {
    setOpenOn(pathname);
    setOpen(false);
  }
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>("a[href], button:not([disabled])")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return {
    rootRef,
    buttonProps: { ref: buttonRef, type: "button", "aria-expanded": open, "aria-controls": panelId, onClick: () => setOpen(!open) } as const,
    // A link followed to the page already shown changes no path: close on the click too.
    panelProps: {
      ref: panelRef,
      id: panelId,
      hidden: !open,
      onClick: (e: MouseEvent) => {
        if ((e.target as Element).closest("a")) setOpen(false);
      },
    },
  };
}
