// Remembers recently accepted deliveries so a replay (or the sender's own retry of the same
// delivery) is answered "duplicate" without a second re-fetch. Bounded in time and in size: only
// signature-verified deliveries are remembered, and the oldest are forgotten first. Forgetting is
// safe, because a hint only triggers a re-fetch from the API, which changes nothing when nothing
// changed.
import { createHash } from 'node:crypto';

export type ReplayMemoryOptions = Readonly<{
  /** How long a delivery is remembered. */
  ttlMs: number;
  /** At most this many are remembered; the oldest go first. */
  maxEntries: number;
  now: () => number;
}>;

export class ReplayMemory {
  // Insertion order is arrival order, so the oldest entry is always first.
  private readonly seenAt = new Map<string, number>();

  constructor(private readonly options: ReplayMemoryOptions) {}

  get size(): number {
    return this.seenAt.size;
  }

  /** True when `key` was remembered within the window; otherwise remembers it and returns false. */
  checkAndRemember(key: string): boolean {
    const now = this.options.now();
    this.forgetExpired(now);
    const digest = createHash('sha256').update(key).digest('base64url');
    if (this.seenAt.has(digest)) return true;
    this.seenAt.set(digest, now);
    while (this.seenAt.size > this.options.maxEntries) {
      const oldest = this.seenAt.keys().next();
      if (oldest.done) break;
      this.seenAt.delete(oldest.value);
    }
    return false;
  }

  private forgetExpired(now: number): void {
    for (const [digest, at] of this.seenAt) {
      if (now - at < this.options.ttlMs) return;
      this.seenAt.delete(digest);
    }
  }
}
