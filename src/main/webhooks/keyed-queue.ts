// Runs tasks one at a time per key (a booking), in arrival order, while tasks on other keys run
// concurrently. A hint re-fetches and then stores; two hints for the same booking must not
// interleave, or a slow, older response could be stored over a newer one.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /**
   * Runs `task` once every earlier task sharing any of `keys` has finished. Keys are locked in one
   * step (all tails are awaited together), so tasks with overlapping key sets cannot deadlock.
   */
  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = unique.map((key) => this.tails.get(key) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of unique) this.tails.set(key, done);
    this.pending++;
    const result = Promise.all(before).then(task);
    const finish = () => {
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
      release();
      this.pending--;
      if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
    result.then(finish, finish);
    return result;
  }

  /** Resolves when no task is queued or running. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
