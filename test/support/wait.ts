// Waiting in tests, benchmarks and the cluster harness: a plain sleep, and
// polling until a probe answers.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown by a probe when the awaited state can no longer come: ends waitFor at once. */
export class Hopeless extends Error {}

/** Polls until `probe` returns something other than undefined/false; other errors (e.g. API errors) are retried. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof Hopeless) throw err;
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    await sleep(intervalMs);
  }
}
