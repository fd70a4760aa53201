// Benchmark (not a test): bookings per second through fetch → normalize → store against the
// simulators with rate limits off, beside the same rows inserted raw into the encrypted DB in one
// transaction, and their ratio.
//
//   npx tsx bench/sync.ts [--bookings N] [--json FILE]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createCore } from '../src/main/core/core';
import { openDatabase, type Db } from '../src/main/db/open';
import { generatePractice } from '../src/main/demo/practice';
import { startCalcomSim } from '../src/main/demo/sim/calcom';
import { startCalendlySim } from '../src/main/demo/sim/calendly';
import { startTidyCalSim } from '../src/main/demo/sim/tidycal';
import { BenchSecrets } from './support';

const Args = z.object({
  bookings: z.coerce.number().int().min(100).max(500_000).default(20_000),
  json: z.string().optional(),
});

export type SyncBenchResult = Readonly<{
  bookings: number;
  attendees: number;
  syncSeconds: number;
  syncBookingsPerSecond: number;
  rawSeconds: number;
  rawBookingsPerSecond: number;
  ratio: number;
  requests: number;
}>;

/**
 * Seconds to insert every booking and attendee row of `synced` into a fresh encrypted database at
 * `file` (same schema, same triggers) in one transaction: the floor a sync's storing is held to.
 */
export function rawInsertSeconds(synced: Db, file: string): number {
  const rows = synced.prepare('SELECT * FROM bookings').all() as Record<string, unknown>[];
  const attendeeRows = synced.prepare('SELECT * FROM attendees').all() as Record<string, unknown>[];
  const raw = openDatabase({ file, keyHex: randomBytes(32).toString('hex') });
  try {
    const bookingCols = Object.keys(rows[0]!).filter((c) => c !== 'superseded_by');
    const attendeeCols = Object.keys(attendeeRows[0]!);
    const insertBooking = raw.prepare(
      `INSERT INTO bookings (${bookingCols.join(',')}) VALUES (${bookingCols.map((c) => `@${c}`).join(',')})`,
    );
    const insertAttendee = raw.prepare(
      `INSERT INTO attendees (${attendeeCols.join(',')}) VALUES (${attendeeCols.map((c) => `@${c}`).join(',')})`,
    );
    const started = performance.now();
    raw.transaction(() => {
      for (const r of rows) insertBooking.run(r);
      for (const a of attendeeRows) insertAttendee.run(a);
    })();
    return (performance.now() - started) / 1000;
  } finally {
    raw.close();
  }
}

export async function benchSync(bookings: number): Promise<SyncBenchResult> {
  const practice = generatePractice({
    seed: 11,
    bookings,
    contacts: Math.max(200, Math.round(bookings / 5)),
    years: 5,
  });
  const calcom = await startCalcomSim({ data: practice.calcom, rateLimit: false });
  const calendly = await startCalendlySim({ data: practice.calendly, rateLimit: false });
  const tidycal = await startTidyCalSim({ data: practice.tidycal, rateLimit: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-bench-'));
  // The keychain is not what is measured here; an in-memory secret store keeps the run self-contained.
  const secrets = new BenchSecrets();
  try {
    const core = await createCore({
      dataDir,
      secrets,
      net: {
        requestsPerMinute: {
          calcom: Infinity,
          calendly: Infinity,
          tidycal: Infinity,
          lacrm: Infinity,
        },
      },
    });
    await core.call('settings:set', {
      'sources.calcom.baseUrl': calcom.baseUrl,
      'sources.calendly.baseUrl': calendly.baseUrl,
      'sources.tidycal.baseUrl': tidycal.baseUrl,
      'advisor.emails': [...practice.advisor.emails.all],
    });
    await secrets.set(core.context.secretAccount('calcom'), calcom.apiKey);
    await secrets.set(core.context.secretAccount('calendly'), calendly.apiKey);
    await secrets.set(core.context.secretAccount('tidycal'), tidycal.apiKey);
    const started = performance.now();
    const outcome = await core.call('sync:run', {
      sources: ['calcom', 'calendly', 'tidycal'],
      mode: 'full',
    });
    const syncSeconds = (performance.now() - started) / 1000;
    const failed = outcome.results.filter((r) => r.state !== 'ok');
    if (failed.length)
      throw new Error(`sync failed: ${failed.map((f) => f.error?.message).join('; ')}`);
    const db = core.context.db();
    const stored = (db.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
    const attendees = (db.prepare('SELECT count(*) AS n FROM attendees').get() as { n: number }).n;
    const rawSeconds = rawInsertSeconds(db, join(dataDir, 'raw.db'));
    core.close();
    const requests = outcome.results.reduce((n, r) => n + r.requests, 0);
    return {
      bookings: stored,
      attendees,
      syncSeconds,
      syncBookingsPerSecond: stored / syncSeconds,
      rawSeconds,
      rawBookingsPerSecond: stored / rawSeconds,
      ratio: stored / syncSeconds / (stored / rawSeconds),
      requests,
    };
  } finally {
    await Promise.all([calcom.close(), calendly.close(), tidycal.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { bookings: { type: 'string' }, json: { type: 'string' } },
  });
  const args = Args.parse(values);
  const r = await benchSync(args.bookings);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    [
      `Sync benchmark (${fmt(r.bookings)} bookings, ${fmt(r.attendees)} attendees, rate limits off)`,
      `  full sync through the simulators  ${r.syncSeconds.toFixed(2)} s   ${fmt(r.syncBookingsPerSecond)} bookings/s   (${fmt(r.requests)} requests)`,
      `  raw insert, one transaction       ${r.rawSeconds.toFixed(2)} s   ${fmt(r.rawBookingsPerSecond)} bookings/s`,
      `  ratio sync / raw                  ${r.ratio.toFixed(3)}`,
      '',
    ].join('\n'),
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify(r, null, 2)}\n`);
}
