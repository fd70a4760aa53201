// Wires the receiver to the store: every delivery is recorded for delivery health, every accepted
// one is processed as a hint, and the hint's result (changed, unchanged, failed) is recorded on
// its delivery. Used by `cadence serve` and by the app when the receiver is switched on.
import type { Db } from '../db/open';
import { createLogger, redact } from '../log';
import {
  DELIVERY_RETENTION_DAYS,
  hasWebhookTables,
  pruneDeliveries,
  recordDelivery,
  recordHintOutcome,
} from './health';
import { hintQueueFor, processHint, type HintDeps, type HintResult } from './hints';
import type { DeliveryReport, WebhookHint } from './types';

const PRUNE_EVERY_MS = 60 * 60 * 1000;

export type WebhookRuntimeOptions = HintDeps &
  Readonly<{
    /** Called once per request with a line safe for logs (no body, no PII). */
    onLog?: (line: string) => void;
    /** Called when a hint finished, with its result or its error. */
    onHintDone?: (hint: WebhookHint, result: HintResult | Error) => void;
  }>;

export type WebhookRuntime = Readonly<{
  onDelivery: (report: DeliveryReport) => void;
  onHint: (hint: WebhookHint) => Promise<void>;
  /** Resolves when every hint received so far has been processed. */
  idle: () => Promise<void>;
  /** Whether deliveries are being recorded (false until migration 0060 is applied). */
  recording: boolean;
}>;

const log = createLogger('webhooks');

export function describeDelivery(report: DeliveryReport): string {
  const what = report.trigger ? ` ${report.trigger}` : '';
  const named = report.sourceIds.length > 0 ? ` (${report.sourceIds.length} booking(s))` : '';
  const why = report.reason ? `: ${report.reason}` : '';
  return redact(`${report.source}${what} → ${report.status} ${report.outcome}${named}${why}`);
}

export function createWebhookRuntime(options: WebhookRuntimeOptions): WebhookRuntime {
  const { db } = options;
  const recording = hasWebhookTables(db);
  const rowOf = new Map<string, number>();
  // Accepted deliveries whose hint has not finished yet. Registered when the delivery is
  // reported (before the sender has the 202), so idle() cannot miss a hint about to start.
  const unfinished = new Map<string, { done: Promise<void>; finish: () => void }>();
  const track = (deliveryId: string) => {
    let entry = unfinished.get(deliveryId);
    if (!entry) {
      let finish!: () => void;
      const done = new Promise<void>((resolve) => (finish = resolve));
      entry = { done, finish };
      unfinished.set(deliveryId, entry);
    }
    return entry;
  };
  let lastPrunedAt = 0;

  const safely = (what: string, work: (store: Db) => void) => {
    if (!recording) return;
    try {
      work(db);
    } catch (error) {
      log.warn(`could not ${what}: ${(error as Error).message}`);
    }
  };

  function onDelivery(report: DeliveryReport): void {
    options.onLog?.(describeDelivery(report));
    if (report.outcome === 'accepted') track(report.deliveryId);
    safely('record a delivery', (store) => {
      const id = recordDelivery(store, report);
      if (report.outcome === 'accepted') rowOf.set(report.deliveryId, id);
      const nowMs = options.now().getTime();
      if (nowMs - lastPrunedAt > PRUNE_EVERY_MS) {
        lastPrunedAt = nowMs;
        pruneDeliveries(store, new Date(nowMs - DELIVERY_RETENTION_DAYS * 24 * 60 * 60 * 1000));
      }
    });
  }

  function onHint(hint: WebhookHint): Promise<void> {
    const entry = track(hint.deliveryId);
    const work = (async () => {
      const row = rowOf.get(hint.deliveryId);
      rowOf.delete(hint.deliveryId);
      try {
        const result = await processHint(options, hint);
        const changed = result.changedBookingIds.length > 0;
        if (row !== undefined)
          safely('record a hint', (store) =>
            recordHintOutcome(store, row, { state: 'done', changed }),
          );
        options.onLog?.(
          `${hint.source} ${hint.trigger}: re-fetched ${result.fetched.length}, ${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged${result.missing.length > 0 ? `, ${result.missing.length} no longer at the source` : ''}`,
        );
        options.onHintDone?.(hint, result);
      } catch (error) {
        const message = redact((error as Error)?.message ?? String(error));
        if (row !== undefined)
          safely('record a hint', (store) =>
            recordHintOutcome(store, row, { state: 'failed', error: message }),
          );
        options.onLog?.(`${hint.source} ${hint.trigger}: re-fetch failed: ${message}`);
        options.onHintDone?.(hint, error instanceof Error ? error : new Error(message));
      }
    })();
    void work.finally(() => {
      unfinished.delete(hint.deliveryId);
      entry.finish();
    });
    return work;
  }

  async function idle(): Promise<void> {
    while (unfinished.size > 0) await Promise.all([...unfinished.values()].map((e) => e.done));
    await hintQueueFor(db).idle();
  }

  return { onDelivery, onHint, idle, recording };
}
