"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies `text` to the clipboard and says so. */
export function CopyButton({ text, label = "Copy", className }: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button variant="secondary" className={className ?? "px-2.5 py-1 text-xs"} onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
      {copied ? "Copied" : label}
    </Button>
  );
}
