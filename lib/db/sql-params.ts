// Parameters of a statement built from fragments (lib/db/sql.ts sends it):
// each fragment adds its values and writes the placeholders they get.

export class SqlParams {
  readonly values: unknown[] = [];

  /** `value` as the next parameter: its placeholder, `$n`, cast to `type` when given. */
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ""}`;
  }
}

/** Steps of one data-modifying statement (its CTEs) and what its result row reports of them (select-list columns). */
export type Steps = { ctes: string[]; columns: string[] };

/**
 * The condition that chains a step after a CTE that must have returned a row (none: unconditional).
 * PostgreSQL runs a statement's CTEs in no set order; a step that reads the one before it waits for it,
 * which is how a statement keeps a lock order.
 */
export const after = (cte: string | undefined) => (cte ? `EXISTS (SELECT 1 FROM ${cte})` : "true");
