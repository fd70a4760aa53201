import { describe, expect, it } from 'vitest';
import { calendarDate, instantIn } from './format';

describe('instantIn', () => {
  it("says an instant in the report's zone, as its dates read", () => {
    expect(instantIn('2026-11-26T19:21:42.250Z', 'America/New_York')).toBe('26 Nov 2026 14:21');
    expect(instantIn('2026-07-01T03:05:00Z', 'America/New_York')).toBe('30 Jun 2026 23:05'); // EDT
    expect(instantIn('2026-07-01T03:05:00Z', 'Europe/Berlin')).toBe('1 Jul 2026 05:05');
    expect(instantIn('2026-01-01T00:00:00Z', 'UTC')).toBe('1 Jan 2026 00:00');
  });

  it('says nothing for no instant, and shows what it cannot read as it came', () => {
    expect(instantIn(null, 'UTC')).toBe('—');
    expect(instantIn('not a date', 'UTC')).toBe('not a date');
  });

  it('reads like calendarDate', () => {
    expect(instantIn('2026-02-28T12:00:00Z', 'UTC').startsWith(calendarDate('2026-02-28'))).toBe(
      true,
    );
  });
});
