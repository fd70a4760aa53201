// The metric queries against the hand-computed fixture (metrics-fixtures.ts): per-contact figures,
// the dashboard's cards, meetings per month by category and overdue over time, through the core.
import { describe, expect, it } from 'vitest';
import { EXPECTED, fixturePractice, ids } from './metrics-fixtures';

describe('metrics on the fixture practice', () => {
  it('computes every contact’s figures as worked out by hand', async () => {
    const { core } = await fixturePractice();
    const all = await core.call('metrics:clients', { filter: 'all', limit: 100 });
    expect(all.total).toBe(EXPECTED.length);
    expect(
      all.rows.map((row) => ({
        contactId: row.contactId,
        name: row.name,
        meetings30: row.meetings30,
        meetings90: row.meetings90,
        meetings365: row.meetings365,
        lastMeeting: row.lastMeeting,
        lastReview: row.lastReview,
        nextReviewDue: row.nextReviewDue,
        status: row.status,
        cancellations: row.cancellations,
        noShows: row.noShows,
      })),
    ).toEqual(EXPECTED);
    const alice = all.rows.find((row) => row.contactId === ids.alice)!;
    expect([alice.cadenceMonths, alice.cadenceSource]).toEqual([3, 'group']);
    const carol = all.rows.find((row) => row.contactId === ids.carol)!;
    expect([carol.cadenceMonths, carol.cadenceSource]).toEqual([1, 'contact']);
    const bob = all.rows.find((row) => row.contactId === ids.bob)!;
    expect([bob.cadenceMonths, bob.cadenceSource]).toEqual([12, 'default']);
    expect(bob.nextBookedReview).toBe('2026-04-02T14:00:00.000Z');
  });

  it('shows the dashboard figures', async () => {
    const { core } = await fixturePractice();
    const data = await core.call('metrics:dashboard', {});
    expect(data.today).toBe('2026-03-15');
    expect(data.cards).toEqual({
      clients: 7,
      reviewedWithinCadence: 3,
      reviewedWithinCadenceShare: 3 / 7,
      onTrack: 1,
      dueSoon: 2,
      overdue: 3,
      neverReviewed: 1,
      upcomingReviews: 1,
    });
    expect(data.months).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    // Alice's 23:30 review on 30 November counts for November (it is December in UTC); the
    // Bakers' review on 31 March 2025 is before the window; the no-show and the cancelled
    // meetings were not held.
    expect(data.meetingsPerMonth).toEqual([
      { month: '2025-06', category: 'general', meetings: 1 },
      { month: '2025-09', category: 'portfolio_review', meetings: 2 },
      { month: '2025-10', category: 'portfolio_review', meetings: 1 },
      { month: '2025-11', category: 'portfolio_review', meetings: 1 },
      { month: '2026-01', category: 'portfolio_review', meetings: 1 },
      { month: '2026-03', category: 'general', meetings: 2 },
    ]);
    // Carol (1 month) was overdue at the end of November and December; her 31 January review
    // is due 28 February, which is not yet overdue on 28 February. Grace's review from before the
    // window was due 10 December 2025. Today Alice, Carol and Grace are overdue.
    expect(data.overdueOverTime).toEqual([
      { date: '2025-04-30', overdue: 0 },
      { date: '2025-05-31', overdue: 0 },
      { date: '2025-06-30', overdue: 0 },
      { date: '2025-07-31', overdue: 0 },
      { date: '2025-08-31', overdue: 0 },
      { date: '2025-09-30', overdue: 0 },
      { date: '2025-10-31', overdue: 0 },
      { date: '2025-11-30', overdue: 1 },
      { date: '2025-12-31', overdue: 2 },
      { date: '2026-01-31', overdue: 1 },
      { date: '2026-02-28', overdue: 1 },
      { date: '2026-03-15', overdue: 3 },
    ]);
    expect(data.store).toEqual({ bookings: 14, contacts: 8, hasMatches: true });

    // Each past point clicks through to the clients overdue that evening: the same count.
    for (const point of data.overdueOverTime.slice(0, -1)) {
      const list = await core.call('metrics:clients', { filter: 'overdue', asOf: point.date });
      expect([point.date, list.total]).toEqual([point.date, point.overdue]);
    }
    const december = await core.call('metrics:clients', { filter: 'overdue', asOf: '2025-12-31' });
    expect(december.rows.map((row) => [row.name, row.nextReviewDue])).toEqual([
      ['Carol Chen', '2025-11-15'],
      ['Grace Green', '2025-12-10'],
    ]);
    await expect(
      core.call('metrics:clients', { filter: 'overdue', asOf: '2026-03-15' }),
    ).rejects.toThrow(/a day before today/);

    // The past figures are remembered until the store changes: a longer cadence for Grace takes
    // her out of the overdue counts at the end of December, January and February at once.
    expect((await core.call('metrics:dashboard', {})).overdueOverTime).toEqual(
      data.overdueOverTime,
    );
    await core.call('policy:setContact', { contactId: ids.grace, cadenceMonths: 24 });
    const later = await core.call('metrics:dashboard', {});
    expect(later.overdueOverTime.map((p) => p.overdue)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 2,
    ]);
    expect(later.cards.overdue).toBe(2);
  });

  it('lists the clients and bookings behind each number', async () => {
    const { core } = await fixturePractice();
    const overdue = await core.call('metrics:clients', { filter: 'overdue' });
    // Most overdue first; Alice and Carol are both due 28 February, then by name.
    expect(overdue.rows.map((row) => row.name)).toEqual([
      'Grace Green',
      'Alice Archer',
      'Carol Chen',
    ]);
    const within = await core.call('metrics:clients', { filter: 'within_cadence' });
    expect(within.rows.map((row) => row.name)).toEqual(['Bea Baker', 'Bob Baker', 'Dan Diaz']);
    const never = await core.call('metrics:clients', { filter: 'never_reviewed' });
    expect(never.rows.map((row) => [row.name, row.cancellations])).toEqual([['Frank Fox', 1]]);
    const searched = await core.call('metrics:clients', { filter: 'all', search: 'bak' });
    expect(searched.rows.map((row) => row.name)).toEqual(['Bea Baker', 'Bob Baker']);
    const paged = await core.call('metrics:clients', { filter: 'all', offset: 5, limit: 5 });
    expect([paged.total, paged.rows.map((row) => row.name)]).toEqual([
      8,
      ['Erin Evans', 'Frank Fox', 'Grace Green'],
    ]);

    const upcoming = await core.call('metrics:bookings', { list: { kind: 'upcoming_reviews' } });
    expect(upcoming.total).toBe(1);
    expect(upcoming.rows[0]).toMatchObject({
      sourceId: 'bob-upcoming',
      status: 'scheduled',
      category: 'portfolio_review',
      ruleName: 'Review event types',
      clients: [{ contactId: ids.bob, name: 'Bob Baker' }],
    });
    const september = await core.call('metrics:bookings', {
      list: { kind: 'month', month: '2025-09', category: 'portfolio_review' },
    });
    expect(
      september.rows.map((row) => [row.sourceId, row.status, row.overridden, row.ruleName]),
    ).toEqual([
      ['dan-catchup', 'completed', true, null],
      ['alice-r1', 'completed', false, 'Review event types'],
    ]);
    const march = await core.call('metrics:bookings', {
      list: { kind: 'month', month: '2026-03' },
    });
    expect(march.rows.map((row) => row.sourceId)).toEqual(['erin-2', 'alice-checkin']);
  });
});
