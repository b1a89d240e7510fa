// client-node's typed calls have no timeout of their own: a request on a
// connection that died without a reset waits forever. Supervisors bound them.

/** Rejects after `ms` unless `promise` settled first (the request itself is not cancelled). */
export function withTimeout<V>(promise: Promise<V>, ms: number, what: string): Promise<V> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${Math.round(ms)} ms`)), ms);
  });
  promise.catch(() => {}); // a late failure after the timeout is not unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
