-- CreateTable
CREATE TABLE "WorkspaceEventListener" (
    "workspaceId" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,

    CONSTRAINT "WorkspaceEventListener_pkey" PRIMARY KEY ("workspaceId","pid")
);

-- Hand-written: who listens is a process's state, not data (as RunEventListener).
ALTER TABLE "WorkspaceEventListener" SET UNLOGGED;

-- Hand-written: the sequencer (i22_events) now also wakes the live streams (GET /api/v1/events/stream)
-- of each workspace it numbered events for, at commit: pg_notify('agora_workspace_events', workspace id),
-- only for a workspace some process streams (a "WorkspaceEventListener" row: lib/runs/run-notifications.ts),
-- since NOTIFY serialises committing transactions on a database-wide lock. PostgreSQL folds identical
-- notifications of one transaction into one. The payload is a hint: streams read the feed by seq.
CREATE OR REPLACE FUNCTION agora_sequence_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  w record;
  base bigint;
BEGIN
  FOR w IN SELECT "workspaceId", count(*) AS n FROM "Event" WHERE "seq" IS NULL GROUP BY 1 ORDER BY 1 LOOP
    INSERT INTO "EventCounter" AS c ("workspaceId", "seq") VALUES (w."workspaceId", w.n)
      ON CONFLICT ("workspaceId") DO UPDATE SET "seq" = c."seq" + w.n
      RETURNING c."seq" - w.n INTO base;
    UPDATE "Event" e SET "seq" = base + o.rn
      FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS rn FROM "Event" WHERE "seq" IS NULL AND "workspaceId" = w."workspaceId") o
      WHERE e."id" = o."id";
    IF EXISTS (SELECT 1 FROM "WorkspaceEventListener" WHERE "workspaceId" = w."workspaceId") THEN
      PERFORM pg_notify('agora_workspace_events', w."workspaceId");
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
