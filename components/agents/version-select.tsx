"use client";

import { SelectField } from "@/components/ui/field";
import type { RunFormVersions } from "@/lib/packages/pin-schemas";

/**
 * The run form's version choice: by default the workspace's pin when it has one (named, with what
 * it runs now), else the latest published version; or any runnable version exactly (slug@version).
 * The value is "" for the default (the request names only the slug, so the caller's pins apply).
 */
export function VersionSelect({ versions, value, onChange }: { versions: RunFormVersions; value: string; onChange: (version: string) => void }) {
  const { pin, latest } = versions;
  const defaultLabel = pin ? `Workspace pin ${pin.range} (${pin.version ? `runs ${pin.version}` : "no runnable version"})` : `Latest${latest ? ` (${latest})` : ""}`;
  return (
    <SelectField
      label="Version"
      name="version"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={pin ? "Your workspace pins this package; choose a version to run another one this time." : undefined}
      className="sm:w-80"
    >
      <option value="">{defaultLabel}</option>
      {versions.versions.map((v) => (
        <option key={v.version} value={v.version}>
          {v.version}
          {v.version === latest ? " — latest" : ""}
          {v.status === "YANKED" ? " (yanked)" : ""}
        </option>
      ))}
    </SelectField>
  );
}
