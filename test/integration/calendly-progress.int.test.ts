// Calendly reads each event's invitees with a call of its own (a page of 100 events is 100 calls,
// two minutes on the free plan's 50 a minute), so the connector hands the store its events every
// few reads, not once per page: the progress moves within a page, and a cancel keeps what was read.
// Through the core, against the Calendly simulator.
import { describe, expect, it } from 'vitest';
import type { SourceProgress } from '../../src/shared/contract';
import type { Core } from '../../src/main/core/core';
import { INVITEE_READS_PER_HANDOVER } from '../../src/main/sources/calendly/connector';
import { practicePerTest } from '../helpers/practice-per-test';

const practice = practicePerTest();

async function calendlyPractice() {
  const { world, core } = await practice();
  const running: SourceProgress[] = [];
  core.subscribe((event, payload) => {
    const p = payload as SourceProgress;
    if (event === 'sync:progress' && p.source === 'calendly' && p.state === 'running')
      running.push(p);
  });
  return { world, core, running };
}

const storedCalendly = (core: Core) =>
  (
    core.context
      .db()
      .prepare("SELECT count(*) AS n FROM bookings WHERE source = 'calendly'")
      .get() as { n: number }
  ).n;

describe('Calendly progress within a page of events', () => {
  it('moves every few invitee reads, and the sync still stores every event once', async () => {
    const { world, core, running } = await calendlyPractice();
    const events = world.practice.calendly.events.length;
    expect(events).toBeGreaterThan(100); // more than one page of 100

    const outcome = await core.call('sync:run', { sources: ['calendly'] });
    expect(outcome.results[0]?.state, outcome.results[0]?.error?.message).toBe('ok');

    // On page 1 (100 events, every one read), the count went up in steps of the handover.
    const firstPage = [...new Set(running.filter((p) => p.page === 1).map((p) => p.fetched))];
    const steps = Array.from(
      { length: 100 / INVITEE_READS_PER_HANDOVER },
      (_, i) => (i + 1) * INVITEE_READS_PER_HANDOVER,
    );
    expect(firstPage).toEqual(steps);
    expect(outcome.results[0]?.fetched).toBe(events);
    expect(outcome.results[0]?.created).toBe(events);
    expect(storedCalendly(core)).toBe(events);
  });

  it('a cancel within the first page keeps the events read so far', async () => {
    const { core, running } = await calendlyPractice();
    const off = core.subscribe((event, payload) => {
      const p = payload as SourceProgress;
      if (event === 'sync:progress' && p.source === 'calendly' && p.fetched >= 30)
        core.context.sync.cancel();
    });
    const outcome = await core.call('sync:run', { sources: ['calendly'] });
    off();
    const result = outcome.results[0]!;
    expect(result.state).toBe('cancelled');
    expect(running.every((p) => p.page <= 1)).toBe(true); // page 0: starting
    expect(result.fetched).toBeGreaterThanOrEqual(30);
    expect(result.fetched).toBeLessThan(100);
    expect(storedCalendly(core)).toBe(result.fetched);

    // The next sync goes on and stores each event once.
    const again = await core.call('sync:run', { sources: ['calendly'] });
    expect(again.results[0]?.state).toBe('ok');
    expect(storedCalendly(core)).toBe(again.results[0]!.fetched);
  });
});
