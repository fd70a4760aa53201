// When the Calendly connector reads an event's invitees (one request each): new, changed, a --full
// sync, and recently ended meetings again for their no-shows, at most twice a day.
import { describe, expect, it } from 'vitest';
import { NO_SHOW_DAYS, type KnownBooking } from '../connector';
import { needsInviteeRead } from './connector';
import { calendlyChangeKey } from './normalize';
import { CalendlyEvent } from './schemas';

const NOW = new Date('2026-11-20T15:00:00Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function event(endedAgoMs: number, status: 'active' | 'canceled' = 'active') {
  return CalendlyEvent.parse({
    uri: 'https://api.calendly.com/scheduled_events/EV1',
    status,
    start_time: ago(endedAgoMs + HOUR),
    end_time: ago(endedAgoMs),
    updated_at: '2026-10-01T09:00:00.000000Z',
    invitees_counter: { total: 1, active: 1, limit: 1 },
  });
}

function known(e: ReturnType<typeof event>, readAgoMs: number | null): KnownBooking {
  return {
    sourceUpdatedAt: e.updated_at ?? null,
    contentKey: calendlyChangeKey(e),
    detailsReadAt: readAgoMs === null ? null : ago(readAgoMs),
  };
}

describe('needsInviteeRead', () => {
  it('reads a new or changed event, and every event in a full sync', () => {
    const e = event(30 * 24 * HOUR);
    expect(needsInviteeRead(e, undefined, NOW, 'incremental')).toBe(true);
    expect(
      needsInviteeRead(e, { ...known(e, HOUR), contentKey: 'older' }, NOW, 'incremental'),
    ).toBe(true);
    expect(needsInviteeRead(e, known(e, HOUR), NOW, 'incremental')).toBe(false);
    expect(needsInviteeRead(e, known(e, HOUR), NOW, 'full')).toBe(true);
  });

  it('reads a meeting that ended in the last two weeks when last read before its end or half a day ago', () => {
    const e = event(2 * 24 * HOUR);
    expect(needsInviteeRead(e, known(e, 3 * 24 * HOUR), NOW, 'incremental')).toBe(true); // before the end
    expect(needsInviteeRead(e, known(e, 12 * HOUR), NOW, 'incremental')).toBe(true);
    expect(needsInviteeRead(e, known(e, 11 * HOUR), NOW, 'incremental')).toBe(false);
    expect(needsInviteeRead(e, known(e, null), NOW, 'incremental')).toBe(true); // never recorded
  });

  it('leaves upcoming, cancelled and older meetings to their change key', () => {
    const upcoming = event(-24 * HOUR);
    expect(needsInviteeRead(upcoming, known(upcoming, 3 * 24 * HOUR), NOW, 'incremental')).toBe(
      false,
    );
    const cancelled = event(2 * 24 * HOUR, 'canceled');
    expect(needsInviteeRead(cancelled, known(cancelled, null), NOW, 'incremental')).toBe(false);
    const older = event((NO_SHOW_DAYS + 1) * 24 * HOUR);
    expect(needsInviteeRead(older, known(older, null), NOW, 'incremental')).toBe(false);
  });
});
