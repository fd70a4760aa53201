// Delivery health on the real encrypted database: migration 0060 on a seeded store, recorded
// deliveries and hints, the 24-hour numbers, "changes that arrived without a webhook" for a sync
// run, "verified through", pruning, and the sync extension.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import { migrate } from '../db/migrations';
import { migration0060 } from '../db/migrations/0060-webhooks';
import { openDatabase, type Db } from '../db/open';
import { finishRun, startRun } from '../sync/runs';
import {
  deliveryHealth,
  hasWebhookTables,
  pruneDeliveries,
  recordDelivery,
  recordHintOutcome,
  recordSyncFindings,
  rejectedCountsSince,
  webhookSyncExtension,
} from './health';
import type { DeliveryOutcome, DeliveryReport, WebhookSource } from './types';

const NOW = new Date('2026-11-25T15:00:00.000Z');
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString();
const COUNTS = { fetched: 0, created: 0, updated: 0, unchanged: 0, requests: 0, waitedMs: 0 };

const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function openStore(withWebhooks = true): Db {
  if (!withWebhooks) {
    // A store as it was before migration 0060 (Signal-style migration test).
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 50);
    opened.push(db);
    return db;
  }
  const db = openDatabase({
    file: join(tempDir(), 'cadence.db'),
    keyHex: randomBytes(32).toString('hex'),
  });
  opened.push(db);
  if (!hasWebhookTables(db)) migration0060.up(db);
  return db;
}

let deliverySeq = 0;
function report(
  source: WebhookSource,
  outcome: DeliveryOutcome,
  receivedAt: string,
  sourceIds: readonly string[] = [],
): DeliveryReport {
  return {
    deliveryId: `d${++deliverySeq}`,
    source,
    receivedAt,
    outcome,
    status: outcome === 'accepted' ? 202 : 401,
    trigger: outcome === 'accepted' ? 'BOOKING_CREATED' : null,
    sourceIds,
    reason: outcome === 'accepted' ? null : 'signature does not match',
  };
}

function insertBooking(db: Db, source: string, sourceId: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO bookings (source, source_id, title, start_utc, end_utc, duration_minutes, status, raw_json,
           content_hash, first_seen_at, last_seen_at, changed_at)
         VALUES (?, ?, 'Review', '2026-12-01T15:00:00.000Z', '2026-12-01T16:00:00.000Z', 60, 'scheduled', '{}', 'h', ?, ?, ?)`,
      )
      .run(source, sourceId, NOW.toISOString(), NOW.toISOString(), NOW.toISOString())
      .lastInsertRowid,
  );
}

function history(db: Db, bookingId: number, runId: number | null, kind = 'created'): void {
  db.prepare(
    'INSERT INTO booking_history (booking_id, sync_run_id, observed_at, kind) VALUES (?, ?, ?, ?)',
  ).run(bookingId, runId, NOW.toISOString(), kind);
}

function okRun(db: Db, source: string, finishedAt: string, state: 'ok' | 'failed' = 'ok'): number {
  const id = startRun(db, source as never, 'test', 'incremental', at(30));
  finishRun(
    db,
    id,
    state,
    COUNTS,
    state === 'ok' ? null : { code: 'network', message: 'x' },
    finishedAt,
  );
  return id;
}

describe('migration 0060', () => {
  it('adds the webhook tables to a seeded store without touching its rows', () => {
    const db = openStore(false);
    expect(hasWebhookTables(db)).toBe(false);
    const bookingId = insertBooking(db, 'calcom', 'bk1');
    const runId = okRun(db, 'calcom', at(1));
    history(db, bookingId, runId);
    const before = db.prepare('SELECT * FROM bookings').all();
    db.transaction(() => migration0060.up(db))();
    expect(hasWebhookTables(db)).toBe(true);
    expect(db.prepare('SELECT * FROM bookings').all()).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM sync_runs').get()).toEqual({ n: 1 });
    // Outcomes and sources are constrained; a hint state only on accepted deliveries.
    expect(() => recordDelivery(db, report('calcom', 'nonsense' as never, at(0)))).toThrow();
    expect(() =>
      db
        .prepare(
          "INSERT INTO webhook_deliveries (received_at, source, outcome) VALUES (?, 'tidycal', 'accepted')",
        )
        .run(at(0)),
    ).toThrow();
    expect(() =>
      db
        .prepare(
          "INSERT INTO webhook_deliveries (received_at, source, outcome, hint_state) VALUES (?, 'calcom', 'malformed', 'done')",
        )
        .run(at(0)),
    ).toThrow();
  });
});

describe('delivery health', () => {
  it('counts genuine deliveries and refusals in the last 24 hours, per source', () => {
    const db = openStore();
    recordDelivery(db, report('calcom', 'accepted', at(25), ['old'])); // outside the day
    recordDelivery(db, report('calcom', 'accepted', at(3), ['bk1']));
    recordDelivery(db, report('calcom', 'duplicate', at(2), ['bk1']));
    recordDelivery(db, report('calcom', 'ignored', at(1)));
    recordDelivery(db, report('calcom', 'rejected_signature', at(0.5)));
    recordDelivery(db, report('calcom', 'rejected_signature', at(0.4)));
    recordDelivery(db, report('calcom', 'too_large', at(0.3)));
    recordDelivery(db, report('calendly', 'malformed', at(0.2)));
    const health = deliveryHealth(db, NOW);
    expect(health.calcom).toMatchObject({
      supportsWebhooks: true,
      lastDeliveryAt: at(1), // refusals are not deliveries
      deliveries24h: 3,
      rejected24h: 3,
      rejectedByOutcome24h: { rejected_signature: 2, too_large: 1 },
      changesWithoutWebhook: null,
      verifiedThrough: null,
    });
    expect(health.calendly).toMatchObject({
      lastDeliveryAt: null,
      deliveries24h: 0,
      rejected24h: 1,
      rejectedByOutcome24h: { malformed: 1 },
    });
    expect(health.tidycal).toMatchObject({
      supportsWebhooks: false,
      deliveries24h: 0,
      rejected24h: 0,
    });
    expect(rejectedCountsSince(db, new Date(NOW.getTime() - HOUR))).toEqual({
      calcom: { rejected_signature: 2, too_large: 1 },
      calendly: { malformed: 1 },
    });
  });

  it('records what each hint did, and counts failed re-fetches', () => {
    const db = openStore();
    const a = recordDelivery(db, report('calcom', 'accepted', at(1), ['bk1', 'bk0']));
    const b = recordDelivery(db, report('calcom', 'accepted', at(1), ['bk2']));
    expect(
      db
        .prepare(
          'SELECT source_id FROM webhook_delivery_bookings WHERE delivery_id = ? ORDER BY source_id',
        )
        .all(a),
    ).toEqual([{ source_id: 'bk0' }, { source_id: 'bk1' }]);
    recordHintOutcome(db, a, { state: 'done', changed: true });
    recordHintOutcome(db, b, {
      state: 'failed',
      error: 'Cal.com GET /bookings/{uid}: could not connect',
    });
    const rows = db
      .prepare('SELECT hint_state, hint_changed, hint_error FROM webhook_deliveries ORDER BY id')
      .all();
    expect(rows).toEqual([
      { hint_state: 'done', hint_changed: 1, hint_error: null },
      {
        hint_state: 'failed',
        hint_changed: 0,
        hint_error: 'Cal.com GET /bookings/{uid}: could not connect',
      },
    ]);
    expect(deliveryHealth(db, NOW).calcom.failedHints24h).toBe(1);
  });

  it('verified through is the finish of the last successful sync', () => {
    const db = openStore();
    okRun(db, 'calcom', at(5));
    okRun(db, 'calcom', at(2));
    okRun(db, 'calcom', at(1), 'failed');
    okRun(db, 'tidycal', at(4));
    const health = deliveryHealth(db, NOW);
    expect(health.calcom.verifiedThrough).toBe(at(2));
    expect(health.tidycal.verifiedThrough).toBe(at(4));
    expect(health.calendly.verifiedThrough).toBeNull();
  });

  it('prunes old deliveries and keeps at most the newest rows', () => {
    const db = openStore();
    for (let i = 0; i < 10; i++)
      recordDelivery(db, report('calcom', 'accepted', at(40 * 24 - i), [`b${i}`]));
    for (let i = 0; i < 5; i++) recordDelivery(db, report('calendly', 'malformed', at(1)));
    expect(pruneDeliveries(db, new Date(NOW.getTime() - 30 * 24 * HOUR))).toBe(10);
    expect(db.prepare('SELECT count(*) AS n FROM webhook_delivery_bookings').get()).toEqual({
      n: 0,
    });
    expect(pruneDeliveries(db, new Date(0), 3)).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM webhook_deliveries').get()).toEqual({ n: 3 });
  });
});

describe('changes that arrived without a webhook', () => {
  it('counts the bookings a sync changed that no accepted delivery in the window named', () => {
    const db = openStore();
    const runId = okRun(db, 'calcom', at(0));
    const named = insertBooking(db, 'calcom', 'named');
    const namedButFailed = insertBooking(db, 'calcom', 'failed-hint');
    const namedLongAgo = insertBooking(db, 'calcom', 'long-ago');
    const namedByForgery = insertBooking(db, 'calcom', 'forged');
    const namedByOtherSource = insertBooking(db, 'calcom', 'other-source');
    const unnamed = insertBooking(db, 'calcom', 'unnamed');
    const onlyLinked = insertBooking(db, 'calcom', 'only-linked');
    for (const id of [
      named,
      namedButFailed,
      namedLongAgo,
      namedByForgery,
      namedByOtherSource,
      unnamed,
    ])
      history(db, id, runId, 'status');
    history(db, unnamed, runId, 'time'); // two rows, one booking
    history(db, onlyLinked, runId, 'rescheduled');
    history(db, named, null, 'created'); // the hint's own change is not the sync's
    recordDelivery(db, report('calcom', 'accepted', at(2), ['named']));
    const failed = recordDelivery(db, report('calcom', 'accepted', at(3), ['failed-hint']));
    recordHintOutcome(db, failed, { state: 'failed', error: 'timeout' });
    recordDelivery(db, report('calcom', 'accepted', at(30), ['long-ago']));
    recordDelivery(db, report('calcom', 'rejected_signature', at(1), ['forged']));
    recordDelivery(db, report('calendly', 'accepted', at(1), ['other-source']));

    const findings = recordSyncFindings(db, { runId, now: NOW });
    expect(findings).toEqual({
      syncRunId: runId,
      source: 'calcom',
      checkedAt: NOW.toISOString(),
      windowHours: 24,
      changes: 6,
      withoutWebhook: 4, // long-ago, forged, other-source, unnamed
    });
    // Idempotent per run, and a wider window changes the answer.
    expect(recordSyncFindings(db, { runId, now: NOW, windowHours: 48 })?.withoutWebhook).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM webhook_sync_findings').get()).toEqual({ n: 1 });
    expect(deliveryHealth(db, NOW).calcom).toMatchObject({
      changesWithoutWebhook: 3,
      changesFoundByLastSync: 6,
      lastSyncCheckedAt: NOW.toISOString(),
    });
  });

  it('says nothing about a sync that failed, and the extension records only successful runs', async () => {
    const db = openStore();
    const failedRun = okRun(db, 'calcom', at(0), 'failed');
    expect(recordSyncFindings(db, { runId: failedRun, now: NOW })).toBeNull();
    const goodRun = okRun(db, 'tidycal', at(0));
    history(db, insertBooking(db, 'tidycal', '42'), goodRun, 'created');
    const extension = webhookSyncExtension(() => db, { now: () => NOW });
    const base = { page: 1, pagesTotal: 1, waitMs: null, error: null, ...COUNTS };
    await extension.afterSync?.(
      {
        results: [
          { ...base, runId: failedRun, source: 'calcom', state: 'failed' },
          { ...base, runId: goodRun, source: 'tidycal', state: 'ok' },
          { ...base, runId: 0, source: 'calendly', state: 'failed' },
        ],
        skipped: [],
      },
      new AbortController().signal,
      'sync',
    );
    const rows = db
      .prepare('SELECT sync_run_id, source, changes, without_webhook FROM webhook_sync_findings')
      .all();
    expect(rows).toEqual([
      { sync_run_id: goodRun, source: 'tidycal', changes: 1, without_webhook: 1 },
    ]);
    // Without the tables (0060 not applied), the extension does nothing and does not throw.
    const bare = openStore(false);
    await webhookSyncExtension(() => bare).afterSync?.(
      { results: [], skipped: [] },
      new AbortController().signal,
      'sync',
    );
    await webhookSyncExtension(() => null).afterSync?.(
      { results: [], skipped: [] },
      new AbortController().signal,
      'sync',
    );
  });
});
