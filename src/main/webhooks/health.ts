// Delivery health per source: when the last genuine delivery came, how many came and how many were
// refused in the last 24 hours, what the last sync found that no webhook had reported ("3 changes
// arrived without a webhook"), and "verified through": when the last successful sync finished.
// Webhooks are hints and the sync is the truth; these numbers tell the advisor how much the hints
// are worth on their setup. Tables come from migration 0060.
import { bookingSources, type BookingSource } from '../../shared/domain';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import type { SyncExtension } from '../sync/service';
import { createLogger } from '../log';
import {
  deliveryOutcomes,
  genuineOutcomes,
  webhookSources,
  type DeliveryOutcome,
  type DeliveryReport,
  type WebhookSource,
} from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back an accepted delivery counts as having reported a change the sync then found. */
export const DEFAULT_FINDINGS_WINDOW_HOURS = 24;
/** Deliveries older than this are pruned; health looks back one day. */
export const DELIVERY_RETENTION_DAYS = 30;
const MAX_DELIVERY_ROWS = 50_000;

const log = createLogger('webhooks.health');

const refusedOutcomes = deliveryOutcomes.filter((o) => !genuineOutcomes.includes(o));

/** Whether migration 0060 has been applied to this database. */
export function hasWebhookTables(db: Db): boolean {
  return (
    (
      db
        .prepare(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('webhook_deliveries', 'webhook_delivery_bookings', 'webhook_sync_findings')",
        )
        .get() as { n: number }
    ).n === 3
  );
}

/** Stores one delivery report; returns its row id. Accepted deliveries remember what they named. */
export function recordDelivery(db: Db, report: DeliveryReport): number {
  return writeTransaction(db, () => {
    const accepted = report.outcome === 'accepted';
    const id = Number(
      db
        .prepare(
          `INSERT INTO webhook_deliveries (received_at, source, trigger, booking_source_id, outcome, reason, hint_state)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          report.receivedAt,
          report.source,
          report.trigger,
          report.sourceIds[0] ?? null,
          report.outcome,
          report.reason?.slice(0, 500) ?? null,
          accepted ? 'pending' : null,
        ).lastInsertRowid,
    );
    if (accepted) {
      const named = db.prepare(
        'INSERT OR IGNORE INTO webhook_delivery_bookings (delivery_id, source_id) VALUES (?, ?)',
      );
      for (const sourceId of report.sourceIds) named.run(id, sourceId);
    }
    return id;
  });
}

export type HintOutcome =
  Readonly<{ state: 'done'; changed: boolean }> | Readonly<{ state: 'failed'; error: string }>;

/** Records what the re-fetch behind an accepted delivery did. */
export function recordHintOutcome(db: Db, deliveryRowId: number, outcome: HintOutcome): void {
  switch (outcome.state) {
    case 'done':
      db.prepare(
        "UPDATE webhook_deliveries SET hint_state = 'done', hint_changed = ?, hint_error = NULL WHERE id = ? AND outcome = 'accepted'",
      ).run(outcome.changed ? 1 : 0, deliveryRowId);
      return;
    case 'failed':
      db.prepare(
        "UPDATE webhook_deliveries SET hint_state = 'failed', hint_changed = 0, hint_error = ? WHERE id = ? AND outcome = 'accepted'",
      ).run(outcome.error.slice(0, 500), deliveryRowId);
      return;
  }
}

/** Deletes deliveries received before `before`, and the oldest beyond a hard row cap. */
export function pruneDeliveries(db: Db, before: Date, maxRows = MAX_DELIVERY_ROWS): number {
  return writeTransaction(db, () => {
    let removed = db
      .prepare('DELETE FROM webhook_deliveries WHERE received_at < ?')
      .run(before.toISOString()).changes;
    removed += db
      .prepare(
        'DELETE FROM webhook_deliveries WHERE id <= (SELECT id FROM webhook_deliveries ORDER BY id DESC LIMIT 1 OFFSET ?)',
      )
      .run(maxRows).changes;
    return removed;
  });
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** When the last genuine (signature-verified) delivery from `source` arrived. */
export function lastDeliveryAt(db: Db, source: WebhookSource): string | null {
  const row = db
    .prepare(
      `SELECT max(received_at) AS at FROM webhook_deliveries WHERE source = ? AND outcome IN (${placeholders(genuineOutcomes)})`,
    )
    .get(source, ...genuineOutcomes) as { at: string | null };
  return row.at;
}

/** Genuine deliveries from `source` received at or after `since`. */
export function deliveriesSince(db: Db, source: WebhookSource, since: Date): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM webhook_deliveries WHERE source = ? AND received_at >= ? AND outcome IN (${placeholders(genuineOutcomes)})`,
      )
      .get(source, since.toISOString(), ...genuineOutcomes) as { n: number }
  ).n;
}

export type RejectedCounts = Readonly<Partial<Record<DeliveryOutcome, number>>>;

/** Refused requests per source and outcome since `since` (forged, stale, malformed, oversized…). */
export function rejectedCountsSince(db: Db, since: Date): Record<WebhookSource, RejectedCounts> {
  const rows = db
    .prepare(
      `SELECT source, outcome, count(*) AS n FROM webhook_deliveries
       WHERE received_at >= ? AND outcome IN (${placeholders(refusedOutcomes)})
       GROUP BY source, outcome`,
    )
    .all(since.toISOString(), ...refusedOutcomes) as {
    source: WebhookSource;
    outcome: DeliveryOutcome;
    n: number;
  }[];
  const out = Object.fromEntries(webhookSources.map((s) => [s, {}])) as Record<
    WebhookSource,
    Partial<Record<DeliveryOutcome, number>>
  >;
  for (const row of rows) out[row.source][row.outcome] = row.n;
  return out;
}

export type SyncFindings = Readonly<{
  syncRunId: number;
  source: BookingSource;
  checkedAt: string;
  windowHours: number;
  /** Bookings the sync created or updated. */
  changes: number;
  /** Of those, the ones no accepted delivery in the window named. */
  withoutWebhook: number;
}>;

/**
 * For a finished, successful sync run: how many bookings it created or updated, and how many of
 * those no accepted delivery in the last `windowHours` had named. A change a webhook reported and
 * its hint already stored is not a change to the sync at all, so it never counts. Idempotent per
 * run. Returns null for a run that did not succeed (nothing verified, nothing to compare).
 */
export function recordSyncFindings(
  db: Db,
  options: Readonly<{ runId: number; now: Date; windowHours?: number }>,
): SyncFindings | null {
  const windowHours = options.windowHours ?? DEFAULT_FINDINGS_WINDOW_HOURS;
  const run = db.prepare('SELECT source, state FROM sync_runs WHERE id = ?').get(options.runId) as
    { source: string; state: string } | undefined;
  if (!run || run.state !== 'ok') return null;
  if (!(bookingSources as readonly string[]).includes(run.source)) return null;
  const source = run.source as BookingSource;
  const since = new Date(options.now.getTime() - windowHours * 60 * 60 * 1000).toISOString();
  // 'rescheduled' rows only link two bookings; the bookings' own changes have rows of their own.
  const counts = db
    .prepare(
      `SELECT count(*) AS changes,
              coalesce(sum(CASE WHEN EXISTS (
                SELECT 1 FROM webhook_delivery_bookings r
                JOIN webhook_deliveries d ON d.id = r.delivery_id
                WHERE r.source_id = b.source_id AND d.source = b.source
                  AND d.outcome = 'accepted' AND d.received_at >= @since
              ) THEN 0 ELSE 1 END), 0) AS without_webhook
       FROM bookings b
       WHERE b.id IN (SELECT booking_id FROM booking_history
                      WHERE sync_run_id = @runId AND kind <> 'rescheduled')`,
    )
    .get({ runId: options.runId, since }) as { changes: number; without_webhook: number };
  const findings: SyncFindings = {
    syncRunId: options.runId,
    source,
    checkedAt: options.now.toISOString(),
    windowHours,
    changes: counts.changes,
    withoutWebhook: counts.without_webhook,
  };
  db.prepare(
    `INSERT INTO webhook_sync_findings (sync_run_id, source, checked_at, window_hours, changes, without_webhook)
     VALUES (@syncRunId, @source, @checkedAt, @windowHours, @changes, @withoutWebhook)
     ON CONFLICT(sync_run_id) DO UPDATE SET checked_at = excluded.checked_at,
       window_hours = excluded.window_hours, changes = excluded.changes,
       without_webhook = excluded.without_webhook`,
  ).run(findings);
  return findings;
}

/** Finish time of the last successful full or incremental sync of `source`. */
export function verifiedThrough(db: Db, source: BookingSource): string | null {
  const row = db
    .prepare(
      "SELECT max(finished_at) AS at FROM sync_runs WHERE source = ? AND state = 'ok' AND mode IN ('full', 'incremental')",
    )
    .get(source) as { at: string | null };
  return row.at;
}

export type SourceDeliveryHealth = Readonly<{
  source: BookingSource;
  /** TidyCal has no webhooks: only the sync and "verified through" apply. */
  supportsWebhooks: boolean;
  lastDeliveryAt: string | null;
  /** Genuine deliveries (accepted, duplicate or ignored) in the last 24 hours. */
  deliveries24h: number;
  /** Refused requests in the last 24 hours, in total and by outcome. */
  rejected24h: number;
  rejectedByOutcome24h: RejectedCounts;
  /** Accepted deliveries whose re-fetch failed in the last 24 hours (the sync will catch up). */
  failedHints24h: number;
  /** From the last checked sync: changes no webhook had reported; null before any sync. */
  changesWithoutWebhook: number | null;
  /** From the last checked sync: all the changes it found. */
  changesFoundByLastSync: number | null;
  lastSyncCheckedAt: string | null;
  verifiedThrough: string | null;
}>;

export function deliveryHealth(db: Db, now: Date): Record<BookingSource, SourceDeliveryHealth> {
  const since = new Date(now.getTime() - DAY_MS);
  const rejected = rejectedCountsSince(db, since);
  const latestFindings = db.prepare(
    'SELECT checked_at, changes, without_webhook FROM webhook_sync_findings WHERE source = ? ORDER BY sync_run_id DESC LIMIT 1',
  );
  const failedHints = db.prepare(
    "SELECT count(*) AS n FROM webhook_deliveries WHERE source = ? AND received_at >= ? AND hint_state = 'failed'",
  );
  const entry = (source: BookingSource): SourceDeliveryHealth => {
    const findings = latestFindings.get(source) as
      { checked_at: string; changes: number; without_webhook: number } | undefined;
    const webhookSource = (webhookSources as readonly string[]).includes(source)
      ? (source as WebhookSource)
      : null;
    const byOutcome = webhookSource ? rejected[webhookSource] : {};
    return {
      source,
      supportsWebhooks: webhookSource !== null,
      lastDeliveryAt: webhookSource ? lastDeliveryAt(db, webhookSource) : null,
      deliveries24h: webhookSource ? deliveriesSince(db, webhookSource, since) : 0,
      rejected24h: Object.values(byOutcome).reduce((sum, n) => sum + (n ?? 0), 0),
      rejectedByOutcome24h: byOutcome,
      failedHints24h: webhookSource
        ? (failedHints.get(source, since.toISOString()) as { n: number }).n
        : 0,
      changesWithoutWebhook: findings?.without_webhook ?? null,
      changesFoundByLastSync: findings?.changes ?? null,
      lastSyncCheckedAt: findings?.checked_at ?? null,
      verifiedThrough: verifiedThrough(db, source),
    };
  };
  return Object.fromEntries(bookingSources.map((s) => [s, entry(s)])) as Record<
    BookingSource,
    SourceDeliveryHealth
  >;
}

/**
 * The sync extension the integrator registers (SyncService.extend): after every sync, records for
 * each successful source run what it found that no webhook had reported. Does nothing until
 * migration 0060 is applied.
 */
export function webhookSyncExtension(
  db: () => Db | null,
  options: Readonly<{ now?: () => Date; windowHours?: number }> = {},
): SyncExtension {
  return {
    afterSync(outcome) {
      const store = db();
      if (!store || !hasWebhookTables(store)) return;
      const now = options.now?.() ?? new Date();
      for (const result of outcome.results) {
        if (result.state !== 'ok' || result.runId <= 0) continue;
        try {
          recordSyncFindings(store, { runId: result.runId, now, windowHours: options.windowHours });
        } catch (error) {
          log.warn(`${result.source}: could not record sync findings: ${(error as Error).message}`);
        }
      }
    },
  };
}
