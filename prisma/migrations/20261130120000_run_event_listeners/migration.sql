-- CreateTable
CREATE TABLE "RunEventListener" (
    "runId" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,

    CONSTRAINT "RunEventListener_pkey" PRIMARY KEY ("runId","pid")
);

-- Hand-written: who listens is a process's state, not data: nothing to recover
-- after a crash, and no WAL for every stream opened or closed.
ALTER TABLE "RunEventListener" SET UNLOGGED;

-- Hand-written: a RunEvent insert NOTIFYs (agora_run_events, payload the run id)
-- only when some process streams that run (a "RunEventListener" row: lib/runs/
-- run-notifications.ts), instead of on every insert. NOTIFY serialises every
-- committing transaction that sent one on a database-wide lock; most runs have
-- no reader. The check runs at commit (a deferred constraint trigger), so a
-- reader that registered while the writer's transaction was open is still woken;
-- PostgreSQL sends one notification per run and transaction however many events
-- it inserted. `agora.notify_run_events=off` (REDIS_URL set: the writer signals
-- over Redis, lib/db/client.ts) still switches it off.
CREATE OR REPLACE FUNCTION agora_notify_run_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('agora.notify_run_events', true) IS DISTINCT FROM 'off'
     AND EXISTS (SELECT 1 FROM "RunEventListener" WHERE "runId" = NEW."runId") THEN
    PERFORM pg_notify('agora_run_events', NEW."runId");
  END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER "RunEvent_notify" ON "RunEvent";
CREATE CONSTRAINT TRIGGER "RunEvent_notify" AFTER INSERT ON "RunEvent"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION agora_notify_run_event();
