// A per-source request budget: a token bucket of `limitPerMinute` requests that refills smoothly,
// plus a pause the whole source observes when the service says the window is spent (a 429, or
// X-RateLimit-Remaining: 0 with a reset time).
//
// Why not a library: Bottleneck (the usual choice) has not been released since 2019, has no
// AbortSignal support, and cannot take a limit learned at run time from response headers; p-limit
// bounds concurrency, not rate. The bucket below is small and tested (rate-budget.test.ts).
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Now = () => number;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export type RateBudgetOptions = Readonly<{
  /** Requests per minute; Infinity turns the budget off (benchmarks). */
  limitPerMinute: number;
  now?: Now;
  sleep?: Sleep;
}>;

export class RateBudget {
  private limit: number;
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: Now;
  private readonly sleep: Sleep;
  /** Total milliseconds spent waiting for budget (shown to the advisor as waits). */
  waitedMs = 0;

  constructor(options: RateBudgetOptions) {
    this.limit = options.limitPerMinute;
    this.tokens = Number.isFinite(this.limit) ? this.limit : 0;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.updatedAt = this.now();
  }

  get limitPerMinute(): number {
    return this.limit;
  }

  /** Adopts a limit the service announced (Calendly's X-RateLimit-Limit). */
  setLimit(limitPerMinute: number): void {
    if (!(limitPerMinute > 0) || limitPerMinute === this.limit) return;
    this.refill();
    const ratio = Number.isFinite(this.limit) ? this.tokens / this.limit : 1;
    this.limit = limitPerMinute;
    this.tokens = Math.min(limitPerMinute, ratio * limitPerMinute);
  }

  /** Nothing may be sent before `untilMs` (epoch ms): a 429, or a spent window. */
  pauseUntil(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
    this.tokens = Math.min(this.tokens, 0);
  }

  /**
   * Waits until one request may be sent. Callers are served in order. `onWait` hears about any
   * wait longer than a moment, so the UI can say "waiting 12 s for the rate limit".
   */
  acquire(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    const turn = this.queue.then(() => this.take(signal, onWait));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const now = this.now();
    if (Number.isFinite(this.limit)) {
      const elapsed = Math.max(0, now - this.updatedAt);
      this.tokens = Math.min(this.limit, this.tokens + (elapsed * this.limit) / 60_000);
    }
    this.updatedAt = now;
  }

  private async take(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (now < this.pausedUntil) {
        const ms = this.pausedUntil - now;
        if (ms > 250) onWait?.(ms);
        await this.waitFor(ms, signal);
        continue;
      }
      if (!Number.isFinite(this.limit)) return;
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const ms = Math.ceil(((1 - this.tokens) * 60_000) / this.limit);
      if (ms > 250) onWait?.(ms);
      await this.waitFor(ms, signal);
    }
  }

  private async waitFor(ms: number, signal?: AbortSignal): Promise<void> {
    const started = this.now();
    await this.sleep(ms, signal);
    this.waitedMs += Math.max(0, this.now() - started);
  }
}
