"use client";

import { Alert } from "@/components/ui/alert";
import { useNotificationPreferences, useSetNotificationPreference } from "./use-notifications";

/** The account page's notification switches: one per category, money always on. */
export function NotificationPreferences() {
  const prefs = useNotificationPreferences();
  const set = useSetNotificationPreference();
  if (prefs.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (prefs.error) return <Alert tone="error">{prefs.error.message}</Alert>;
  return (
    <div className="space-y-3">
      {set.error && <Alert tone="error">{set.error.message}</Alert>}
      <ul className="space-y-2">
        {prefs.data.categories.map((c) => (
          <li key={c.category}>
            <label className="flex items-start gap-3 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 size-4"
                checked={set.isPending && set.variables.category === c.category ? set.variables.enabled : c.enabled}
                disabled={c.alwaysOn || set.isPending}
                onChange={(e) => set.mutate({ category: c.category, enabled: e.target.checked })}
              />
              <span>
                <span className="font-medium text-slate-900">{c.label}</span>
                <span className="block text-slate-600">{c.description}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
