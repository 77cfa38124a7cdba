-- Hand-written: with REDIS_URL set, the app signals new run events over Redis
-- itself (lib/runs/run-notifications.ts) and opens its connections with
-- `agora.notify_run_events=off` (lib/db/client.ts), so the trigger no longer
-- NOTIFYs: NOTIFY takes a database-wide lock at every commit that sent one.
-- Any other connection (unset setting) notifies as before.
CREATE OR REPLACE FUNCTION agora_notify_run_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('agora.notify_run_events', true) IS DISTINCT FROM 'off' THEN
    PERFORM pg_notify('agora_run_events', NEW."runId");
  END IF;
  RETURN NULL;
END;
$$;
