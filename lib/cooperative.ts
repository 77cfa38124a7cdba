// Long CPU work on a request path (ingest, token counting) runs on the one
// thread that answers every other request. Such loops call the function
// yieldEvery() returns once per slice of work: after `ms` milliseconds of work
// it lets the event loop run whatever is waiting (I/O, other requests) before
// the loop goes on, so nothing waits behind it for longer than about `ms`.

export function yieldEvery(ms = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < ms) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
