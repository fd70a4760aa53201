// What the matching after a sync says when it does not finish: a failure or a Cancel during the
// matching is reported (event `match:stopped`, the panel's Matching line, `cadence sync` on stderr
// with exit 1) rather than only logged, the sources' bookings stay stored, and the next sync
// matches what this one did not get to.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import type { SourceProgress } from '../../src/shared/contract';
import { runCadence } from '../helpers/cli';
import { booking, setup, storeBookings } from './match-fixtures';
import { FAULTS } from '../helpers/faults';

const FAULT = FAULTS.matching;

/** Two bookings stored as a scheduler sync stores them, not matched yet. */
const storeTwoBookings = (core: Core) =>
  storeBookings(
    core,
    booking([{ email: 'jane@acme.example', name: 'Jane Doe' }]),
    booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]),
  );

const matchCount = (core: Core) =>
  core.context.db().prepare('SELECT count(*) FROM matches').pluck().get() as number;

/** The match events of one sync of the contacts, and its outcome. */
async function syncContacts(core: Core, onProgress?: (p: SourceProgress) => void) {
  const events: [string, unknown][] = [];
  const off = core.subscribe((event, payload) => {
    if (event === 'match:progress' || event === 'match:stopped') events.push([event, payload]);
    if (event === 'sync:progress') onProgress?.(payload as SourceProgress);
  });
  try {
    const outcome = await core.call('sync:run', { sources: ['lacrm'] });
    return { events, states: outcome.results.map((r) => [r.source, r.state]) };
  } finally {
    off();
  }
}

describe('matching after a sync that does not finish', () => {
  it('says why it failed, keeps the sync, and matches on the next sync', async () => {
    const { core } = await setup();
    storeTwoBookings(core);
    core.context.db().exec(FAULT);
    const failed = await syncContacts(core);
    expect(failed.states).toEqual([['lacrm', 'ok']]);
    expect(failed.events).toEqual([
      ['match:stopped', { state: 'failed', error: 'simulated write failure', after: 'sync' }],
    ]);
    expect(matchCount(core)).toBe(0);

    core.context.db().exec('DROP TRIGGER test_fault');
    const next = await syncContacts(core);
    expect(next.events).toEqual([['match:progress', { done: 2, total: 2 }]]);
    expect(matchCount(core)).toBe(2);
  });

  it('stops when the sync is cancelled, and the next sync matches', async () => {
    const { core } = await setup();
    storeTwoBookings(core);
    // Cancel once the contacts are in: the sources are done, the matching has not begun.
    const cancelled = await syncContacts(core, (p) => {
      if (p.source === 'lacrm' && p.state === 'ok') core.context.sync.cancel();
    });
    expect(cancelled.states).toEqual([['lacrm', 'ok']]);
    expect(cancelled.events).toEqual([
      ['match:stopped', { state: 'cancelled', error: null, after: 'sync' }],
    ]);
    expect(matchCount(core)).toBe(0);

    const next = await syncContacts(core);
    expect(next.events).toEqual([['match:progress', { done: 2, total: 2 }]]);
    expect(matchCount(core)).toBe(2);
  });

  it('after a booking a webhook delivered: no progress of its own, and a failure names the webhook', async () => {
    const { core } = await setup();
    await core.call('sync:run', { sources: ['lacrm'] });
    const events: [string, unknown][] = [];
    core.subscribe((event, payload) => {
      if (event === 'match:progress' || event === 'match:stopped') events.push([event, payload]);
    });
    // As the webhook receiver hands over what it stored (SyncService.processStored).
    const arrived = async (...bookings: ReturnType<typeof booking>[]) => {
      storeBookings(core, ...bookings);
      const ids = bookings.map(
        (b) =>
          core.context
            .db()
            .prepare('SELECT id FROM bookings WHERE source_id = ?')
            .pluck()
            .get(b.sourceId) as number,
      );
      await core.context.sync.processStored(ids);
    };

    // Matched, without a Matching line of its own over the last sync's.
    await arrived(booking([{ email: 'jane@acme.example', name: 'Jane Doe' }]));
    expect(matchCount(core)).toBe(1);
    expect(events).toEqual([]);

    core.context.db().exec(FAULT);
    await arrived(booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]));
    expect(matchCount(core)).toBe(1);
    expect(events).toEqual([
      ['match:stopped', { state: 'failed', error: 'simulated write failure', after: 'webhook' }],
    ]);
  });

  it('cadence sync prints the Matching line and exits 1 when the matching did not complete', async () => {
    const { core } = await setup();
    const dataDir = core.context.dataDir;
    storeTwoBookings(core);
    core.context.db().exec(FAULT);
    core.close();

    const failed = await runCadence(['--data-dir', dataDir, 'sync', '--source', 'lacrm']);
    expect(failed.code, failed.stderr).toBe(1);
    const failure =
      'Matching: FAILED · simulated write failure · the bookings are stored, and the next sync matches them again';
    expect(failed.stderr).toContain(`\n${failure}\n`);
    expect(failed.stderr).toContain(`\nSummary\n`);
    expect(failed.stderr).toContain(`  ${failure}\n`);
    expect(failed.stderr).toContain('the matching did not complete');
    expect(failed.stdout).toBe('');
  });

  it('cadence sync prints how the matching went when it completes', async () => {
    const { core } = await setup();
    const dataDir = core.context.dataDir;
    storeTwoBookings(core);
    core.close();

    const done = await runCadence(['--data-dir', dataDir, 'sync', '--source', 'lacrm']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain(
      '  Matching: done · attendees of 2 bookings compared with your contacts\n',
    );
  });
});
