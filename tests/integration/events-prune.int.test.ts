import { afterAll, describe, expect, it } from "vitest";
import { ownDatabase } from "../helpers/own-database";

// The event feed's retention (events.prune). A database of its own: pruning reads the oldest events
// of every workspace (by id, which follows time), and this file ages some — on the shared database
// they would not be the oldest, and other files' events are not this file's to delete.

const own = await ownDatabase("agora_prune");
afterAll(own.drop);
const { listEvents, pruneEvents } = await import("@/lib/events/feed");
const { createUser } = await import("../helpers/factories");
const db = (await import("@/lib/db/client")).getDb();

const seqs = async (workspaceId: string) => (await listEvents(workspaceId, { after: 0, limit: 1000, types: [] })).data.map((e) => e.seq);

describe("retention", () => {
  it("deletes the events older than the retention, oldest first, and keeps the rest", async () => {
    const { workspace } = await createUser("events-prune");
    await db.$executeRaw`SELECT agora_emit_event(${workspace.id}, 'balance.changed', '{}'::jsonb) FROM generate_series(1, 3)`;
    const kept = await seqs(workspace.id);
    expect(kept.length).toBeGreaterThanOrEqual(3);
    // The two oldest, as if written 31 days ago.
    await db.$executeRaw`UPDATE "Event" SET "createdAt" = now() - interval '31 days' WHERE "workspaceId" = ${workspace.id} AND "seq" <= 2`;
    expect(await pruneEvents(new Date(), 40)).toBe(0);
    expect(await pruneEvents(new Date(), 30)).toBe(2);
    expect(await seqs(workspace.id)).toEqual(kept.slice(2));
    expect(await pruneEvents(new Date(), 30)).toBe(0);
  });
});
