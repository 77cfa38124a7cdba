"use client";

import Link from "next/link";
import { useMenu } from "@/components/layout/use-menu";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { timeAgo } from "@/components/ui/format";
import { useMarkAllRead, useNotifications } from "./use-notifications";

/** The header's bell: the unread count, and a panel of the person's notifications (lib/notifications). */
export function NotificationBell() {
  const { rootRef, buttonProps, panelProps } = useMenu();
  const list = useNotifications();
  const markRead = useMarkAllRead();
  const unread = list.data?.unreadCount ?? 0;
  const items = list.data?.data ?? [];
  const newest = items[0]?.seq;
  const label = unread ? `Notifications, ${unread >= 100 ? "more than 99" : unread} unread` : "Notifications";
  return (
    <div ref={rootRef} className="sm:relative">
      <button {...buttonProps} aria-label={label} data-testid="notification-bell" className="relative flex size-8 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100">
        <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span data-testid="notification-count" aria-hidden className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white tabular-nums">
            {unread >= 100 ? "99+" : unread}
          </span>
        )}
      </button>
      <div
        {...panelProps}
        role="region"
        aria-label="Notifications"
        className="fixed inset-x-2 top-14 z-30 max-h-[75dvh] overflow-y-auto rounded-md bg-white shadow-lg ring-1 ring-slate-200 sm:absolute sm:inset-x-auto sm:right-0 sm:top-full sm:mt-2 sm:w-96"
      >
        <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
          <h2 className="text-sm font-semibold text-slate-900">Notifications</h2>
          <div className="flex items-center gap-1">
            <Button variant="ghost" className="px-2 py-1 text-xs" disabled={!unread || newest === undefined} pending={markRead.isPending} onClick={() => newest !== undefined && markRead.mutate(newest)}>
              Mark all read
            </Button>
            <Link href="/account#notifications" className="rounded-md px-2 py-1 text-xs text-slate-600 hover:bg-slate-100">
              Settings
            </Link>
          </div>
        </div>
        {(list.error ?? markRead.error) && (
          <div className="p-2">
            <Alert tone="error">{(list.error ?? markRead.error)!.message}</Alert>
          </div>
        )}
        {list.isPending ? (
          <p className="px-3 py-6 text-center text-sm text-slate-500">Loading…</p>
        ) : items.length === 0 ? (
          <p className="px-3 py-6 text-center text-sm text-slate-500">No notifications yet. Low balance, failed runs, top-ups, payouts, bids and contract events show up here.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {items.map((n) => (
              <li key={n.seq}>
                <Link href={n.link} data-testid="notification" className={`block px-3 py-2 hover:bg-slate-50 ${n.unread ? "bg-brand-50/60" : ""}`}>
                  <span className="flex items-start justify-between gap-2">
                    <span className="text-sm font-medium text-slate-900">
                      {n.unread && <span className="sr-only">Unread: </span>}
                      {n.title}
                    </span>
                    <time dateTime={n.createdAt} className="shrink-0 text-xs text-slate-500">
                      {timeAgo(n.createdAt)}
                    </time>
                  </span>
                  <span className="block truncate text-xs text-slate-600">{n.line}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
