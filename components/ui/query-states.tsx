import type { ReactNode } from "react";
import { Alert } from "./alert";

/**
 * A list's three states before its content: loading, failed (with the server's
 * message) and — when `empty` is given and `isEmpty` holds — nothing yet.
 */
export function QueryStates<T>({
  query,
  noun,
  empty,
  isEmpty = false,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: Error | null; data: T | undefined };
  noun: string;
  empty?: ReactNode;
  isEmpty?: boolean;
  /** Rendered only once the data is there. */
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p role="status" className="text-sm text-slate-500">
        Loading {noun}…
      </p>
    );
  }
  if (query.isError) return <Alert tone="error">Could not load {noun}: {query.error?.message}</Alert>;
  if (query.data === undefined) return null;
  if (isEmpty && empty) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
