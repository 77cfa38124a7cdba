import { notFound } from "next/navigation";
import { ApiError } from "./errors";

/** For pages: a lib call's 404 becomes the not-found page; other errors propagate. */
export async function orNotFound<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  }
}
