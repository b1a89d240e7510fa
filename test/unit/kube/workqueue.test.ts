import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WorkQueue } from "../../../src/kube/index.js";

/** Resolves with the key, or "pending" when get() did not resolve within the current macrotask. */
async function peek(promise: Promise<string | undefined>): Promise<string | undefined | "pending"> {
  return Promise.race([promise, new Promise<"pending">((resolve) => setImmediate(() => resolve("pending")))]);
}

describe("WorkQueue", () => {
  it("hands out keys in FIFO order", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("c");
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(await q.get()).toBe("c");
  });

  it("de-duplicates a key queued twice", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.length).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(q.length).toBe(0);
    expect(await peek(q.get())).toBe("pending");
  });

  it("never hands out a key being processed; a re-add during processing runs again after done", async () => {
    const q = new WorkQueue();
    q.add("a");
    expect(await q.get()).toBe("a");
    q.add("a");
    q.add("a");
    expect(q.length).toBe(0);
    const next = q.get();
    expect(await peek(next)).toBe("pending");
    q.done("a");
    expect(await next).toBe("a");
    q.done("a");
    expect(q.length).toBe(0);
    expect(await peek(q.get())).toBe("pending");
  });

  it("does not requeue a processed key that was not re-added", async () => {
    const q = new WorkQueue();
    q.add("a");
    await q.get();
    q.done("a");
    expect(q.length).toBe(0);
  });

  it("wakes a waiting get() on add", async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.add("x");
    expect(await waiting).toBe("x");
  });

  it("keeps other keys flowing while one is processed", async () => {
    const q = new WorkQueue();
    q.add("a");
    expect(await q.get()).toBe("a");
    q.add("a");
    q.add("b");
    expect(await q.get()).toBe("b");
  });

  describe("shutDown", () => {
    it("resolves waiting and later get() with undefined and ignores adds", async () => {
      const q = new WorkQueue();
      const waiting = q.get();
      q.shutDown();
      expect(await waiting).toBeUndefined();
      q.add("a");
      expect(q.length).toBe(0);
      expect(await q.get()).toBeUndefined();
      expect(q.isShuttingDown).toBe(true);
    });

    it("does not requeue on done after shutdown", async () => {
      const q = new WorkQueue();
      q.add("a");
      await q.get();
      q.add("a");
      q.shutDown();
      q.done("a");
      expect(q.length).toBe(0);
    });
  });

  describe("with fake timers", () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it("addAfter queues the key only once the delay passed", () => {
      const q = new WorkQueue();
      q.addAfter("a", 100);
      expect(q.length).toBe(0);
      vi.advanceTimersByTime(99);
      expect(q.length).toBe(0);
      vi.advanceTimersByTime(1);
      expect(q.length).toBe(1);
    });

    it("addAfter with a non-positive delay adds at once", () => {
      const q = new WorkQueue();
      q.addAfter("a", 0);
      expect(q.length).toBe(1);
    });

    it("a later addAfter does not push a pending one back; an earlier one brings it forward", () => {
      const q = new WorkQueue();
      q.addAfter("a", 100);
      q.addAfter("a", 500);
      vi.advanceTimersByTime(100);
      expect(q.length).toBe(1);

      const r = new WorkQueue();
      r.addAfter("b", 500);
      r.addAfter("b", 50);
      vi.advanceTimersByTime(50);
      expect(r.length).toBe(1);
      vi.advanceTimersByTime(1000);
      expect(r.length).toBe(1); // the replaced timer does not fire again
    });

    it("shutDown drops pending delayed adds", () => {
      const q = new WorkQueue();
      q.addAfter("a", 100);
      q.shutDown();
      vi.advanceTimersByTime(1000);
      expect(q.length).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
    });

    it("addRateLimited backs off exponentially from 5 ms, per key", () => {
      const q = new WorkQueue({ jitter: 0 });
      const delays = Array.from({ length: 6 }, () => q.nextDelay("a"));
      expect(delays).toEqual([5, 10, 20, 40, 80, 160]);
      expect(q.nextDelay("b")).toBe(5);
      expect(q.numRequeues("a")).toBe(6);
    });

    it("the backoff is capped at 5 minutes, even after very many failures", () => {
      const q = new WorkQueue({ jitter: 0.1, random: () => 0.999 });
      let last = 0;
      for (let i = 0; i < 2000; i++) last = q.nextDelay("a");
      expect(last).toBe(5 * 60_000);
      expect(Number.isFinite(last)).toBe(true);
    });

    it("jitter adds at most its fraction", () => {
      const q = new WorkQueue({ jitter: 0.1, random: () => 0.5 });
      expect(q.nextDelay("a")).toBeCloseTo(5.25);
      expect(q.nextDelay("a")).toBeCloseTo(10.5);
    });

    it("addRateLimited requeues after the backoff delay; forget resets it", () => {
      const q = new WorkQueue({ jitter: 0 });
      q.addRateLimited("a"); // 5 ms
      vi.advanceTimersByTime(4);
      expect(q.length).toBe(0);
      vi.advanceTimersByTime(1);
      expect(q.length).toBe(1);
      q.addRateLimited("b"); // 5
      q.addRateLimited("b"); // pending: the 10 ms one is later, ignored
      expect(q.numRequeues("b")).toBe(2);
      q.forget("b");
      expect(q.numRequeues("b")).toBe(0);
      expect(q.nextDelay("b")).toBe(5);
    });
  });

  it("property: with concurrent workers, no key is processed twice at once and every add is followed by a processing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ key: fc.constantFrom("a", "b", "c", "d"), pause: fc.integer({ min: 0, max: 3 }) }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }),
        async (adds, workerCount, workTimes) => {
          const q = new WorkQueue();
          const active = new Set<string>();
          /** Per key: sequence numbers of its adds and of its processing starts. */
          const addedAt = new Map<string, number[]>();
          const startedAt = new Map<string, number[]>();
          let seq = 0;
          let overlaps = 0;
          let processed = 0;
          const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

          const worker = async (w: number) => {
            for (let i = 0; ; i++) {
              const key = await q.get();
              if (key === undefined) return;
              if (active.has(key)) overlaps++;
              active.add(key);
              startedAt.set(key, [...(startedAt.get(key) ?? []), seq++]);
              processed++;
              const ticks = workTimes[(w + i) % workTimes.length] ?? 0;
              for (let t = 0; t < ticks; t++) await tick();
              active.delete(key);
              q.done(key);
            }
          };
          const workers = Array.from({ length: workerCount }, (_, w) => worker(w));
          for (const { key, pause } of adds) {
            addedAt.set(key, [...(addedAt.get(key) ?? []), seq++]);
            q.add(key);
            for (let t = 0; t < pause; t++) await tick();
          }
          // Let everything drain.
          for (let t = 0; t < 200 && (q.length > 0 || active.size > 0); t++) await tick();
          q.shutDown();
          await Promise.all(workers);

          expect(overlaps).toBe(0);
          expect(processed).toBeLessThanOrEqual(adds.length);
          for (const [key, added] of addedAt) {
            const lastAdd = added[added.length - 1] as number;
            const starts = startedAt.get(key) ?? [];
            expect(starts.some((s) => s > lastAdd)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
