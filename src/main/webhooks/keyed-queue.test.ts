// The per-booking queue behind hint processing, and the replay memory of the receiver.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue';
import { ReplayMemory } from './replay-memory';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedQueue', () => {
  it('runs tasks on the same key one at a time, in arrival order', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const order: string[] = [];
    const first = queue.run(['a'], async () => {
      order.push('first:start');
      await gate.promise;
      order.push('first:end');
    });
    const second = queue.run(['a'], async () => {
      order.push('second');
    });
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['first:start']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
  });

  it('runs tasks on other keys concurrently', async () => {
    const queue = new KeyedQueue();
    const gate = deferred();
    const blocked = queue.run(['a'], () => gate.promise);
    let ran = false;
    await queue.run(['b'], async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    gate.resolve();
    await blocked;
  });

  it('waits for every key of a multi-key task, and a failure does not block the key', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const a = queue.run(['a'], async () => {
      order.push('a');
      throw new Error('boom');
    });
    const ab = queue.run(['b', 'a'], async () => {
      order.push('ab');
    });
    const b = queue.run(['b'], async () => {
      order.push('b');
    });
    await expect(a).rejects.toThrow('boom');
    await Promise.all([ab, b]);
    expect(order).toEqual(['a', 'ab', 'b']);
    await queue.idle();
    expect(queue.size).toBe(0);
  });

  it('never deadlocks and keeps per-key order for random overlapping key sets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        async (tasks) => {
          const queue = new KeyedQueue();
          const running = new Set<string>();
          const seen = new Map<string, number[]>();
          await Promise.all(
            tasks.map((keys, index) =>
              queue.run(keys, async () => {
                for (const k of keys) {
                  expect(running.has(k)).toBe(false);
                  running.add(k);
                  seen.set(k, [...(seen.get(k) ?? []), index]);
                }
                await new Promise((r) => setImmediate(r));
                for (const k of keys) running.delete(k);
              }),
            ),
          );
          for (const order of seen.values())
            expect(order).toEqual([...order].sort((x, y) => x - y));
          await queue.idle();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('ReplayMemory', () => {
  it('recognises a key within the window and forgets it after', () => {
    let now = 0;
    const memory = new ReplayMemory({ ttlMs: 1000, maxEntries: 10, now: () => now });
    expect(memory.checkAndRemember('k')).toBe(false);
    now = 999;
    expect(memory.checkAndRemember('k')).toBe(true);
    now = 1000;
    expect(memory.checkAndRemember('k')).toBe(false);
  });

  it('forgets the oldest first when full', () => {
    const memory = new ReplayMemory({ ttlMs: 1e9, maxEntries: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c', 'd']) expect(memory.checkAndRemember(k)).toBe(false);
    expect(memory.size).toBe(3);
    expect(memory.checkAndRemember('d')).toBe(true);
    expect(memory.checkAndRemember('a')).toBe(false);
  });
});
