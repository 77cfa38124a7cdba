import { formatUsd } from "@/lib/money/format";
import type { EventType } from "@/lib/events/types";

// Which feed events are notifications (issue 22, item 4), how each reads, and where it links.
// Client-safe (no database): the bell passes NOTIFYING_TYPES to useEventStream.
// Adding a notifying type is one line in NOTIFYING below.

/** A preference category. "money" cannot be turned off (lib/notifications/preferences.ts). */
export const CATEGORIES = {
  money: { label: "Money", description: "Low balance, top-ups, payouts. Always on: money alerts cannot be turned off." },
  runs: { label: "Runs", description: "A run failed." },
  bids: { label: "Bids", description: "Bids received on your work; your bids won or lost." },
  contracts: { label: "Contracts", description: "Work awarded, delivered, checked, accepted, settled, refunded, disputed, resolved." },
  packages: { label: "Packages", description: "Your packages published, rejected or suspended." },
  webhooks: { label: "Webhooks", description: "An endpoint disabled after days of failed deliveries." },
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as Category[];
export const ALWAYS_ON: readonly Category[] = ["money"];

type Data = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");
const usd = (v: unknown) => (typeof v === "number" ? formatUsd(v) : "");

/** What a notification's text is made of: the event's data, and the work's title when it is about one. */
export type Subject = { data: Data; workTitle: string | null };

type Kind = {
  category: Category;
  /** "buyer": only in the workspace that posted the work (bid.* reach both sides); "provider": only in the bidder's. */
  audience?: "buyer" | "provider";
  /** Same key + close in time → one grouped line (never for money: those are one line each). */
  groupKey?: (d: Data) => string;
  title: (s: Subject, count: number) => string;
  line: (s: Subject) => string;
  link: (d: Data) => string;
};

const work = (s: Subject) => (s.workTitle ? `“${s.workTitle}”` : "your work");
const workLink = (d: Data) => `/exchange/${encodeURIComponent(str(d.workId))}`;
const plural = (n: number, one: string, many: string) => (n === 1 ? one : `${n} ${many}`);
const contract = (verb: string): Kind => ({
  category: "contracts",
  title: (s) => `Work ${verb}: ${work(s)}`,
  line: (s) => (s.data.auto ? `Automatically ${verb}.` : `Status: ${str(s.data.status).toLowerCase() || verb}.`),
  link: workLink,
});
const pkg = (verb: string): Kind => ({
  category: "packages",
  title: (s) => `Package ${str(s.data.slug)} ${str(s.data.version)} ${verb}`.replace(/\s+/g, " "),
  line: (s) => str(s.data.reason) || `Version ${str(s.data.version)} is ${verb}.`,
  link: (d) => `/provider/packages/${encodeURIComponent(str(d.slug))}`,
});

export const NOTIFYING = {
  "balance.low": { category: "money", title: () => "Low balance", line: (s) => `${usd(s.data.availableMicros)} of credits left; runs that may cost more are refused.`, link: () => "/billing" },
  "topup.succeeded": { category: "money", title: (s) => `Top-up of ${usd(s.data.amountMicros)} received`, line: (s) => (s.data.automatic ? "Automatic top-up." : "Added to your credits."), link: () => "/billing" },
  "payout.sent": { category: "money", title: (s) => `Payout of ${usd(s.data.amountMicros)} sent`, line: (s) => `For ${str(s.data.period)}.`, link: () => "/provider#payouts" },
  "payout.failed": { category: "money", title: (s) => `Payout of ${usd(s.data.amountMicros)} failed`, line: (s) => str(s.data.failureMessage) || "Check your payout account.", link: () => "/provider#payouts" },
  "run.failed": {
    category: "runs",
    groupKey: (d) => str(d.agent),
    title: (s, n) => `${plural(n, "Run", "runs")} of ${str(s.data.agent)} failed`,
    line: (s) => str(s.data.failureCause) || str(s.data.errorCode) || "The run failed; it was not charged beyond what it used.",
    link: (d) => `/runs/${encodeURIComponent(str(d.runId))}`,
  },
  "bid.placed": {
    category: "bids",
    audience: "buyer",
    groupKey: (d) => str(d.workId),
    title: (s, n) => `${n === 1 ? "Bid" : `${n} bids`} received on ${work(s)}`,
    line: (s) => `${usd(s.data.priceMicros)}${s.data.package ? ` with ${str(s.data.package)}` : ""}, in ${String(s.data.promisedMinutes ?? "?")} min.`,
    link: workLink,
  },
  "bid.won": { category: "bids", audience: "provider", title: (s) => `Your bid won ${work(s)}`, line: (s) => `At ${usd(s.data.priceMicros)}.`, link: workLink },
  "bid.lost": { category: "bids", audience: "provider", groupKey: () => "lost", title: (_s, n) => (n === 1 ? "A bid of yours lost" : `${n} bids of yours lost`), line: (s) => `On ${work(s)}.`, link: workLink },
  "work.awarded": contract("awarded"),
  "work.delivered": contract("delivered"),
  "work.checked": contract("checked"),
  "work.accepted": contract("accepted"),
  "work.settled": contract("settled"),
  "work.refunded": contract("refunded"),
  "work.disputed": contract("disputed"),
  "work.resolved": contract("resolved"),
  "package.published": pkg("published"),
  "package.rejected": pkg("rejected"),
  "package.suspended": pkg("suspended"),
  "webhook.disabled": { category: "webhooks", title: () => "Webhook endpoint disabled", line: (s) => `${str(s.data.url)}: ${str(s.data.reason)}`, link: () => "/workspace/webhooks" },
} satisfies Partial<Record<EventType, Kind>> as Partial<Record<EventType, Kind>>;

export const NOTIFYING_TYPES = Object.keys(NOTIFYING) as EventType[];

export const kindOf = (type: string): Kind | undefined => NOTIFYING[type as EventType];

/** The notifying types of the categories not muted (money always in). */
export function typesFor(muted: readonly string[]): EventType[] {
  return NOTIFYING_TYPES.filter((t) => ALWAYS_ON.includes(NOTIFYING[t]!.category) || !muted.includes(NOTIFYING[t]!.category));
}
