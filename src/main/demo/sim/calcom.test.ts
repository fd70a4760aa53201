// Properties of the Cal.com simulator's pure parts: the paging formulas of section 2.3 (skip += take
// visits every item exactly once and stops exactly at the end) and strict ISO 8601 parsing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calcomPagination, parseStrictIso } from './calcom';

describe('calcomPagination', () => {
  it('pages every item once when a client follows hasNextPage with skip += take', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 250 }),
        (total, take) => {
          let skip = 0;
          let seen = 0;
          let pages = 0;
          for (;;) {
            const returned = Math.max(0, Math.min(take, total - skip));
            const page = calcomPagination(total, take, skip, returned);
            seen += page.returnedItems;
            pages += 1;
            expect(page.currentPage).toBe(pages);
            expect(page.remainingItems).toBe(total - seen);
            expect(page.hasPreviousPage).toBe(pages > 1);
            if (!page.hasNextPage) break;
            skip += take;
          }
          expect(seen).toBe(total);
          expect(pages).toBe(Math.max(1, Math.ceil(total / take)));
          expect(calcomPagination(total, take, 0, 0).totalPages).toBe(Math.ceil(total / take));
        },
      ),
    );
  });
});

describe('parseStrictIso', () => {
  it('reads back any instant Date#toISOString writes, with or without milliseconds', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString();
          expect(parseStrictIso(iso)).toBe(date.getTime());
          expect(parseStrictIso(`${iso.slice(0, 19)}Z`)).toBe(
            Math.floor(date.getTime() / 1000) * 1000,
          );
          expect(parseStrictIso(iso.slice(0, 10))).toBe(Date.parse(iso.slice(0, 10)));
        },
      ),
    );
  });

  it('honours offsets and refuses dates that do not exist', () => {
    expect(parseStrictIso('2026-03-01T10:00:00+02:00')).toBe(Date.parse('2026-03-01T08:00:00Z'));
    expect(parseStrictIso('2026-03-01T10:00:00-0530')).toBe(Date.parse('2026-03-01T15:30:00Z'));
    for (const bad of [
      '2026-02-29',
      '2026-13-01',
      '2026-01-01T24:00:00Z',
      'tomorrow',
      '2026-1-1',
      '',
    ])
      expect(parseStrictIso(bad), bad).toBeNull();
    expect(parseStrictIso('2024-02-29')).toBe(Date.parse('2024-02-29'));
  });
});
