import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, type DbTx } from "@/lib/db/client";
import { lastEventSeq } from "@/lib/events/feed";
import { pageLimit } from "@/lib/http/pagination";
import { isoDate, wholeNumber } from "@/lib/http/wire";
import { ALWAYS_ON, CATEGORIES, CATEGORY_NAMES, NOTIFYING, kindOf, typesFor, type Category } from "./kinds";

// A person's notifications in a workspace (issue 22, item 4): derived from the event feed, no copy.
// A notification is an Event row of a notifying type (./kinds.ts) whose category the person has not
// muted; NotificationState holds their read marker (the highest seq read) and muted categories.

/** Notifications of one kind and subject within this long of each other are one line ("3 bids received on …"); money alerts never are. */
export const GROUP_WINDOW_MS = 60 * 60_000;
/** The unread count stops counting here (the bell shows "99+" from 100). */
export const UNREAD_CAP = 1000;

const seqParam = (name: string) =>
  z.coerce.number({ error: `\`${name}\` must be a whole number: an event seq.` }).int(`\`${name}\` must be a whole number: an event seq.`).min(0).max(Number.MAX_SAFE_INTEGER);

/** `?after=<seq>` only newer than that seq (what a client has); `?before=<seq>` the page older than that (`nextBefore`). */
export const notificationsQuerySchema = z.object({ after: seqParam("after").default(0), before: seqParam("before").optional(), limit: pageLimit(20, 100) });
export type NotificationsQuery = z.output<typeof notificationsQuerySchema>;

export const notificationSchema = z.object({
  /** The newest event's seq; `firstSeq` the oldest's (equal unless grouped). */
  seq: wholeNumber,
  firstSeq: wholeNumber,
  /** How many events this line stands for (1 unless grouped). */
  count: wholeNumber,
  type: z.string(),
  category: z.enum(CATEGORY_NAMES as [Category, ...Category[]]),
  title: z.string(),
  line: z.string(),
  /** A page of the console (a path). */
  link: z.string(),
  createdAt: isoDate,
  unread: z.boolean(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsResponseSchema = z.object({
  data: z.array(notificationSchema),
  /** Unread notifications (events, not lines), at most UNREAD_CAP. */
  unreadCount: wholeNumber,
  readUpTo: wholeNumber,
  /** Pass as `before` for the next (older) page; null on the last. */
  nextBefore: wholeNumber.nullable(),
});

export const markReadBodySchema = z.strictObject({
  upTo: z.number({ error: "`upTo` must be a whole number: the seq of the newest notification read." }).int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export const markReadResponseSchema = z.object({ readUpTo: wholeNumber, unreadCount: wholeNumber });

export const preferencesSchema = z.object({
  categories: z.array(z.object({ category: z.enum(CATEGORY_NAMES as [Category, ...Category[]]), label: z.string(), description: z.string(), enabled: z.boolean(), alwaysOn: z.boolean() })),
});

/** `{ categories: { runs: false, bids: true } }`: the categories named change, the rest stay. Money cannot be turned off. */
export const preferencesBodySchema = z.strictObject({
  categories: z.strictObject(Object.fromEntries(CATEGORY_NAMES.map((c) => [c, z.boolean().optional()])) as Record<Category, z.ZodOptional<z.ZodBoolean>>).refine(
    (c) => ALWAYS_ON.every((a) => c[a] !== false),
    { message: `Money alerts (${ALWAYS_ON.join(", ")}) cannot be turned off.`, path: ALWAYS_ON.slice(0, 1) },
  ),
});

type Who = { userId: string; workspaceId: string };
type Row = { seq: bigint; type: string; createdAt: Date; data: Record<string, unknown> };

async function stateOf({ userId, workspaceId }: Who, client: DbTx = db) {
  const row = await client.notificationState.findUnique({ where: { userId_workspaceId: { userId, workspaceId } } });
  return { readUpTo: Number(row?.readUpTo ?? 0n), muted: row?.muted ?? [] };
}

const audienceTypes = (audience: "buyer" | "provider") => Object.entries(NOTIFYING).flatMap(([t, k]) => (k.audience === audience ? [t] : []));

/** The notifying events of a workspace for someone with these muted categories (bid.* only on the side they concern). */
function notificationsWhere(workspaceId: string, muted: readonly string[]): Prisma.Sql {
  const ownWork = Prisma.sql`EXISTS (SELECT 1 FROM "Work" w WHERE w."id" = e."data"->>'workId' AND w."workspaceId" = e."workspaceId")`;
  return Prisma.sql`e."workspaceId" = ${workspaceId} AND e."seq" IS NOT NULL AND e."type" = ANY(${typesFor(muted)}::text[])
    AND (e."type" <> ALL(${audienceTypes("buyer")}::text[]) OR ${ownWork})
    AND (e."type" <> ALL(${audienceTypes("provider")}::text[]) OR NOT ${ownWork})`;
}

async function unreadCount(workspaceId: string, muted: readonly string[], readUpTo: number, client: DbTx): Promise<number> {
  const [row] = await client.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM "Event" e WHERE ${notificationsWhere(workspaceId, muted)} AND e."seq" > ${readUpTo} LIMIT ${UNREAD_CAP}) x`;
  return row?.n ?? 0;
}

/** Newest first; lines of one groupable kind and subject within GROUP_WINDOW_MS of each other merged. */
function toNotifications(rows: Row[], readUpTo: number, workTitles: Map<string, string>): Notification[] {
  const out: Notification[] = [];
  const open = new Map<string, { n: Notification; oldest: number }>();
  for (const r of rows) {
    const kind = kindOf(r.type)!;
    const seq = Number(r.seq);
    const at = r.createdAt.getTime();
    const subject = { data: r.data, workTitle: workTitles.get(String(r.data.workId)) ?? null };
    const key = kind.groupKey && !ALWAYS_ON.includes(kind.category) ? `${r.type}\u0000${kind.groupKey(r.data)}` : null;
    const group = key ? open.get(key) : undefined;
    if (group && group.oldest - at <= GROUP_WINDOW_MS) {
      group.n.count += 1;
      group.n.firstSeq = seq;
      group.n.unread ||= seq > readUpTo;
      group.n.title = kind.title(subject, group.n.count);
      group.oldest = at;
      continue;
    }
    const n: Notification = {
      seq,
      firstSeq: seq,
      count: 1,
      type: r.type,
      category: kind.category,
      title: kind.title(subject, 1),
      line: kind.line(subject),
      link: kind.link(r.data),
      createdAt: r.createdAt.toISOString(),
      unread: seq > readUpTo,
    };
    out.push(n);
    if (key) open.set(key, { n, oldest: at });
  }
  return out;
}

/** The person's notifications in the workspace, newest first, with the unread count. */
export async function listNotifications(who: Who, q: NotificationsQuery, client: DbTx = db): Promise<z.infer<typeof notificationsResponseSchema>> {
  const { readUpTo, muted } = await stateOf(who, client);
  const rows = await client.$queryRaw<Row[]>`
    SELECT e."seq", e."type", e."createdAt", e."data" FROM "Event" e
    WHERE ${notificationsWhere(who.workspaceId, muted)} AND e."seq" > ${q.after} ${q.before === undefined ? Prisma.empty : Prisma.sql`AND e."seq" < ${q.before}`}
    ORDER BY e."seq" DESC LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const workIds = [...new Set(page.map((r) => r.data.workId).filter((id): id is string => typeof id === "string"))];
  // The events are this workspace's own (it posted or contracted the work): their titles are its to see.
  const works = workIds.length ? await client.work.findMany({ where: { id: { in: workIds } }, select: { id: true, title: true } }) : [];
  return {
    data: toNotifications(page, readUpTo, new Map(works.map((w) => [w.id, w.title]))),
    unreadCount: await unreadCount(who.workspaceId, muted, readUpTo, client),
    readUpTo,
    nextBefore: rows.length > q.limit ? Number(page.at(-1)!.seq) : null,
  };
}

/** Marks read every notification up to `upTo` (at most the workspace's newest seq); the marker never moves back. */
export async function markRead(who: Who, upTo: number, client: DbTx = db): Promise<z.infer<typeof markReadResponseSchema>> {
  const to = Math.min(upTo, await lastEventSeq(who.workspaceId, client));
  const [row] = await client.$queryRaw<{ readUpTo: bigint; muted: string[] }[]>`
    INSERT INTO "NotificationState" AS s ("userId", "workspaceId", "readUpTo", "updatedAt") VALUES (${who.userId}, ${who.workspaceId}, ${to}, now())
    ON CONFLICT ("userId", "workspaceId") DO UPDATE SET "readUpTo" = GREATEST(s."readUpTo", EXCLUDED."readUpTo"), "updatedAt" = now()
    RETURNING s."readUpTo", s."muted"`;
  const readUpTo = Number(row!.readUpTo);
  return { readUpTo, unreadCount: await unreadCount(who.workspaceId, row!.muted, readUpTo, client) };
}

const describePreferences = (muted: readonly string[]): z.infer<typeof preferencesSchema> => ({
  categories: CATEGORY_NAMES.map((c) => ({ category: c, ...CATEGORIES[c], enabled: ALWAYS_ON.includes(c) || !muted.includes(c), alwaysOn: ALWAYS_ON.includes(c) })),
});

export async function getPreferences(who: Who, client: DbTx = db) {
  return describePreferences((await stateOf(who, client)).muted);
}

export async function setPreferences(who: Who, body: z.output<typeof preferencesBodySchema>, client: DbTx = db) {
  const { muted } = await stateOf(who, client);
  const next = CATEGORY_NAMES.filter((c) => !ALWAYS_ON.includes(c) && (body.categories[c] === undefined ? muted.includes(c) : !body.categories[c]));
  await client.notificationState.upsert({
    where: { userId_workspaceId: { userId: who.userId, workspaceId: who.workspaceId } },
    create: { userId: who.userId, workspaceId: who.workspaceId, muted: next },
    update: { muted: next },
  });
  return describePreferences(next);
}
