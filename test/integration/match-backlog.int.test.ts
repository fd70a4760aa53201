// What the Review queue and the Dashboard say while matching has not gone over every booking: a
// sync cancelled once its sources were done but before matching began leaves the bookings waiting
// (match_pending), and both outputs report them (matchBacklog) instead of a settled store, until
// a sync that matches them.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { syncCancelledBeforeMatching } from '../helpers/cancelled-sync';
import { arrive, booking, setup, storeBookings } from './match-fixtures';

const twoBookings = () => [
  booking([{ email: 'jane@acme.example', name: 'Jane Doe' }]),
  booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]),
];

async function backlogs(core: Core) {
  const queue = await core.call('review:list', {});
  const dashboard = await core.call('metrics:dashboard', {});
  return { queue, review: queue.matchBacklog, dashboard: dashboard.matchBacklog };
}

describe('bookings matching has not gone over yet', () => {
  it('are reported by the review queue and the dashboard after a sync cancelled before matching', async () => {
    const { core } = await setup();
    storeBookings(core, ...twoBookings());
    await syncCancelledBeforeMatching(core);

    const waiting = await backlogs(core);
    // Nothing in the queue, but not because every attendee is matched: none was compared.
    expect(waiting.queue.total).toBe(0);
    expect(waiting.queue.states.auto).toBe(0);
    const expected = { pending: 2, everything: true, bookings: 2 };
    expect(waiting.review).toEqual(expected);
    expect(waiting.dashboard).toEqual(expected);

    // The next sync matches them: nothing waits any more.
    await core.call('sync:run', { sources: ['lacrm'] });
    const settled = await backlogs(core);
    expect(settled.queue.states.auto).toBe(1);
    expect(settled.review).toBeNull();
    expect(settled.dashboard).toBeNull();
  });

  it('counts only the new bookings when the rest are matched, and a run over everything when an input changed', async () => {
    const { core } = await setup();
    await arrive(core, ...twoBookings());
    expect((await backlogs(core)).review).toBeNull();

    // Stored (as a sync's sources store them) but never matched.
    storeBookings(core, booking([{ email: 'carol.new@mail.example', name: 'Carol Ng' }]));
    const one = await backlogs(core);
    expect(one.review).toEqual({ pending: 1, everything: false, bookings: 3 });
    expect(one.dashboard).toEqual(one.review);

    await core.call('sync:run', { sources: ['lacrm'] });
    expect((await backlogs(core)).review).toBeNull();

    // A setting every match reads: the next run goes over every booking again.
    await core.call('settings:set', { 'match.personalDomains': ['family.example'] });
    const all = await backlogs(core);
    expect(all.review).toEqual({ pending: 0, everything: true, bookings: 3 });
    expect(all.dashboard).toEqual(all.review);
  });

  it('are not reported before the contacts were ever synced (matching does not run then)', async () => {
    const { core } = await setup();
    storeBookings(core, ...twoBookings());
    const none = await backlogs(core);
    expect(none.review).toBeNull();
    expect(none.dashboard).toBeNull();
  });
});
