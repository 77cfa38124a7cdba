// One statement built from fragments that live with the code they belong to
// (issue 18: a run's finish is one data-modifying CTE whose money part is
// lib/ledger's, its usage part lib/usage's, its billing part lib/billing's).
// Parameters are numbered as fragments add them; CTEs keep the order they were
// added in. Sub-statements of one WITH run in no order PostgreSQL promises, so
// a fragment that must lock its rows after another's says so with `after`.

export class Statement {
  readonly values: unknown[] = [];
  private readonly ctes: string[] = [];

  /** The placeholder of a new parameter, cast to `type` when given (e.g. "bigint"). */
  param(value: unknown, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ""}`;
  }

  /** A timestamp parameter for a `timestamp` (UTC, without time zone) column, whatever the process's time zone. */
  utc(at: Date): string {
    return `(${this.param(at.toISOString(), "timestamptz")} AT TIME ZONE 'UTC')`;
  }

  /** Adds `name AS (body)` and returns `name`. */
  with(name: string, body: string): string {
    this.ctes.push(`${name} AS (${body})`);
    return name;
  }

  /** The whole statement: the CTEs, then `main`. */
  text(main: string): string {
    return this.ctes.length ? `WITH ${this.ctes.join(",\n")}\n${main}` : main;
  }
}

/**
 * A condition that holds once each CTE in `names` has run: an uncorrelated
 * subquery is evaluated before the rows of the statement using it are locked,
 * so chaining sub-statements with it fixes the order their row locks are
 * taken in (lock order), whether or not the earlier ones changed a row.
 */
export const after = (...names: string[]): string => names.map((n) => `(SELECT count(*) FROM ${n}) >= 0`).join(" AND ") || "true";

/**
 * A condition that holds once `cte` has run and returned a row (no `cte`: true): a step
 * that must not write when the one before it refused (accepting a run: no hold without
 * a slot, no run without its hold). Like `after`, it also orders the steps' row locks.
 */
export const afterWrote = (cte: string | undefined): string => (cte ? `EXISTS (SELECT 1 FROM ${cte})` : "true");

/** Steps of one statement built by parts: its CTEs and what its result row reports of them (select-list columns). */
export type Steps = { ctes: string[]; columns: string[] };
