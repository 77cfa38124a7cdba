-- Hand-written: a statement that finds it must not write (accepting a run past
-- a limit: lib/runs/accept-run.ts) calls this to abort itself, so that nothing
-- it already wrote stays. The refusal's figures travel as JSON in the error's
-- DETAIL; SQLSTATE AGR01 marks it (a class of our own, not PostgreSQL's).
CREATE FUNCTION agora_refuse(detail jsonb) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'statement refused' USING ERRCODE = 'AGR01', DETAIL = detail::text;
END;
$$;
