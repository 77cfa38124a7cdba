-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "seq" BIGINT,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventCounter" (
    "workspaceId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "EventCounter_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Event_workspaceId_seq_key" ON "Event"("workspaceId", "seq");

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EventCounter" ADD CONSTRAINT "EventCounter_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------- writing events (lib/events) ----------
-- Every event is written by a trigger on the change it reports, so it is in that change's
-- transaction whichever code path made it. Its `seq` is given at commit (agora_sequence_events).

-- This transaction's events not yet given a number: only its own rows can be unnumbered.
CREATE INDEX "Event_unsequenced_idx" ON "Event"("workspaceId", "id") WHERE "seq" IS NULL;

CREATE OR REPLACE FUNCTION agora_emit_event(ws text, kind text, payload jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "Event" ("workspaceId", "type", "data") SELECT ws, kind, payload WHERE ws IS NOT NULL;
$$;

-- At commit (a deferred constraint trigger): the transaction's events get their numbers, workspace by
-- workspace in id order (the counters are locked in that order, so two transactions cannot deadlock on
-- them), each workspace's in insertion order. The counter row stays locked until the commit ends, so
-- a workspace's numbers commit in order: a reader that has seen n never later finds an unseen m < n.
-- The first call numbers all of them; the rest find nothing left.
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
  END LOOP;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "Event_sequence" AFTER INSERT ON "Event" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION agora_sequence_events();

-- run.started / run.succeeded / run.failed / run.canceled
CREATE OR REPLACE FUNCTION agora_run_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agora_emit_event(NEW."workspaceId", 'run.' || (CASE NEW."status" WHEN 'RUNNING' THEN 'started' ELSE lower(NEW."status"::text) END),
    jsonb_build_object('runId', NEW."id", 'agent', NEW."agentSlug", 'version', NEW."packageVersion", 'status', NEW."status",
      'priceMicros', NEW."priceMicros", 'errorCode', NEW."errorCode", 'failureCause', NEW."failureCause", 'apiKeyId', NEW."apiKeyId"));
  RETURN NULL;
END $$;

CREATE TRIGGER "Run_event_update" AFTER UPDATE OF "status" ON "Run" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status" AND NEW."status" <> 'QUEUED') EXECUTE FUNCTION agora_run_event();
CREATE TRIGGER "Run_event_insert" AFTER INSERT ON "Run" FOR EACH ROW
  WHEN (NEW."status" <> 'QUEUED') EXECUTE FUNCTION agora_run_event();

-- balance.changed (the wallet after the change) and balance.low (available fell under $0.50,
-- lib/events/types.ts LOW_BALANCE_MICROS).
CREATE OR REPLACE FUNCTION agora_balance_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  available bigint := NEW."postedMicros" - NEW."pendingDebitsMicros";
  payload jsonb := jsonb_build_object('availableMicros', NEW."postedMicros" - NEW."pendingDebitsMicros",
    'postedMicros', NEW."postedMicros", 'heldMicros', NEW."pendingDebitsMicros");
BEGIN
  PERFORM agora_emit_event(NEW."workspaceId", 'balance.changed', payload);
  IF available < 500000 AND OLD."postedMicros" - OLD."pendingDebitsMicros" >= 500000 THEN
    PERFORM agora_emit_event(NEW."workspaceId", 'balance.low', payload || jsonb_build_object('thresholdMicros', 500000));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "LedgerAccount_event" AFTER UPDATE ON "LedgerAccount" FOR EACH ROW
  WHEN (NEW."workspaceId" IS NOT NULL AND (OLD."postedMicros" <> NEW."postedMicros" OR OLD."pendingDebitsMicros" <> NEW."pendingDebitsMicros"))
  EXECUTE FUNCTION agora_balance_event();

-- topup.succeeded: a payment credited to the wallet (by hand or automatic).
CREATE OR REPLACE FUNCTION agora_topup_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agora_emit_event(NEW."workspaceId", 'topup.succeeded',
    jsonb_build_object('transferId', NEW."id", 'amountMicros', NEW."amountMicros", 'automatic', NEW."reason" = 'auto_top_up'));
  RETURN NULL;
END $$;

CREATE TRIGGER "Transfer_topup_event" AFTER INSERT ON "Transfer" FOR EACH ROW
  WHEN (NEW."reason" IN ('top_up', 'auto_top_up') AND NEW."kind" = 'POSTED') EXECUTE FUNCTION agora_topup_event();

-- payout.pending / sent / failed / reversed / partially_reversed, to the provider's workspace.
CREATE OR REPLACE FUNCTION agora_payout_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agora_emit_event((SELECT "workspaceId" FROM "Provider" WHERE "id" = NEW."providerId"), 'payout.' || lower(NEW."status"::text),
    jsonb_build_object('payoutId', NEW."id", 'period', NEW."period", 'amountMicros', NEW."amountMicros", 'status', NEW."status",
      'reversedMicros', NEW."reversedMicros", 'failureMessage', NEW."failureMessage"));
  RETURN NULL;
END $$;

CREATE TRIGGER "Payout_event_insert" AFTER INSERT ON "Payout" FOR EACH ROW EXECUTE FUNCTION agora_payout_event();
CREATE TRIGGER "Payout_event_update" AFTER UPDATE OF "status" ON "Payout" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION agora_payout_event();

-- bid.placed / withdrawn / won / lost, to the buyer and to the bidding provider's workspace.
CREATE OR REPLACE FUNCTION agora_bid_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := 'bid.' || (CASE WHEN TG_OP = 'INSERT' THEN 'placed' ELSE lower(NEW."status"::text) END);
  payload jsonb := jsonb_build_object('bidId', NEW."id", 'workId', NEW."workId", 'package', NULLIF(NEW."packageSlug", ''),
    'priceMicros', NEW."priceMicros", 'promisedMinutes', NEW."promisedMinutes", 'auto', NEW."auto", 'status', NEW."status");
BEGIN
  PERFORM agora_emit_event((SELECT "workspaceId" FROM "Work" WHERE "id" = NEW."workId"), kind, payload);
  PERFORM agora_emit_event((SELECT "workspaceId" FROM "Provider" WHERE "id" = NEW."providerId"), kind, payload);
  RETURN NULL;
END $$;

CREATE TRIGGER "Bid_event_insert" AFTER INSERT ON "Bid" FOR EACH ROW EXECUTE FUNCTION agora_bid_event();
CREATE TRIGGER "Bid_event_update" AFTER UPDATE OF "status" ON "Bid" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION agora_bid_event();

-- work.posted / awarded / delivered / checked / accepted / settled / refunded / disputed / resolved /
-- canceled, from the work's own log, to the buyer and (once awarded) the contracted provider. Bids are bid.*.
CREATE OR REPLACE FUNCTION agora_work_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := 'work.' || (CASE NEW."type" WHEN 'auto_accepted' THEN 'accepted' ELSE NEW."type" END);
  payload jsonb := jsonb_build_object('workId', NEW."workId", 'status', NEW."toStatus", 'previousStatus', NEW."fromStatus",
    'auto', NEW."type" = 'auto_accepted', 'details', NEW."data");
BEGIN
  PERFORM agora_emit_event((SELECT "workspaceId" FROM "Work" WHERE "id" = NEW."workId"), kind, payload);
  PERFORM agora_emit_event((SELECT p."workspaceId" FROM "Contract" c JOIN "Provider" p ON p."id" = c."providerId" WHERE c."workId" = NEW."workId"), kind, payload);
  RETURN NULL;
END $$;

CREATE TRIGGER "WorkEvent_event" AFTER INSERT ON "WorkEvent" FOR EACH ROW
  WHEN (NEW."type" NOT IN ('bid', 'bid_withdrawn', 'auto_bids')) EXECUTE FUNCTION agora_work_event();

-- package.<status> (draft, validated, submitted, published, rejected, suspended, yanked), to the provider's workspace.
CREATE OR REPLACE FUNCTION agora_package_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM agora_emit_event((SELECT "workspaceId" FROM "Provider" WHERE "id" = NEW."providerId"), 'package.' || lower(NEW."status"::text),
    jsonb_build_object('packageId', NEW."id", 'slug', NEW."slug", 'version', NEW."version", 'status', NEW."status", 'reason', CASE NEW."status" WHEN 'REJECTED' THEN NEW."reviewNote" WHEN 'SUSPENDED' THEN NEW."suspendedReason" END));
  RETURN NULL;
END $$;

CREATE TRIGGER "AgentPackage_event_insert" AFTER INSERT ON "AgentPackage" FOR EACH ROW
  WHEN (NEW."providerId" IS NOT NULL) EXECUTE FUNCTION agora_package_event();
CREATE TRIGGER "AgentPackage_event_update" AFTER UPDATE OF "status" ON "AgentPackage" FOR EACH ROW
  WHEN (NEW."providerId" IS NOT NULL AND OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION agora_package_event();
