import { describe, expect, it } from 'vitest';
import { RateBudget } from './rate-budget';

/** A fake clock whose sleep advances time instantly. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => (now += ms),
  };
}

describe('RateBudget', () => {
  it('allows a burst of the per-minute limit, then spaces requests evenly', async () => {
    const t = fakeTime();
    const budget = new RateBudget({ limitPerMinute: 60, now: t.now, sleep: t.sleep });
    const start = t.now();
    for (let i = 0; i < 60; i++) await budget.acquire();
    expect(t.now() - start).toBe(0);
    for (let i = 0; i < 30; i++) await budget.acquire();
    // 30 more at 1 per second
    expect(t.now() - start).toBeGreaterThanOrEqual(29_000);
    expect(t.now() - start).toBeLessThanOrEqual(31_000);
  });

  it('makes every caller wait out a pause (a 429 or a spent window), and reports the wait', async () => {
    const t = fakeTime();
    const budget = new RateBudget({ limitPerMinute: 100, now: t.now, sleep: t.sleep });
    budget.pauseUntil(t.now() + 12_000);
    const waits: number[] = [];
    await budget.acquire(undefined, (ms) => waits.push(ms));
    expect(waits[0]).toBe(12_000);
    expect(budget.waitedMs).toBeGreaterThanOrEqual(12_000);
  });

  it('adopts a limit the service announces', async () => {
    const t = fakeTime();
    const budget = new RateBudget({ limitPerMinute: 50, now: t.now, sleep: t.sleep });
    budget.setLimit(500);
    expect(budget.limitPerMinute).toBe(500);
    const start = t.now();
    for (let i = 0; i < 400; i++) await budget.acquire();
    expect(t.now() - start).toBeLessThan(60_000);
  });

  it('is off when the limit is Infinity', async () => {
    const t = fakeTime();
    const budget = new RateBudget({ limitPerMinute: Infinity, now: t.now, sleep: t.sleep });
    for (let i = 0; i < 10_000; i++) await budget.acquire();
    expect(t.sleeps).toEqual([]);
  });

  it('stops waiting when cancelled', async () => {
    const budget = new RateBudget({ limitPerMinute: 1 });
    await budget.acquire();
    const controller = new AbortController();
    const pending = budget.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
