// Bookings: every meeting from the schedulers in one virtualized table (smooth at 50,000 rows),
// with filters (source, status, date range), search, and a detail panel with the meeting's history.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BookingFilter, BookingRow } from '../../../shared/contract';
import {
  bookingSources,
  bookingStatuses,
  sourceLabels,
  type BookingSource,
  type BookingStatus,
} from '../../../shared/domain';
import { cadence } from '../api';
import { PAGE, usePagedRows } from '../paged';
import { Empty, ScreenHeader } from '../components/Empty';
import { formatDateTime, humanizeSlug, plural, statusLabels } from '../format';
import { useSyncRunning } from '../sync-running';
import { BookingDetailPanel } from './BookingDetailPanel';

const ROW_HEIGHT = 44;
/** The headings' row, in the same scroller above the rows (.vhead's height in styles.css). */
const HEAD_HEIGHT = 36;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function BookingsScreen() {
  const [sources, setSources] = useState<BookingSource[]>([]);
  const [status, setStatus] = useState<BookingStatus | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [selected, setSelected] = useState<number | null>(null);

  const filter: BookingFilter = useMemo(
    () => ({
      ...(sources.length ? { sources } : {}),
      ...(status ? { statuses: [status] } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(search ? { search } : {}),
    }),
    [sources, status, from, to, search],
  );
  const filterKey = JSON.stringify(filter);

  // Pages cached per filter and per data version (a sync resets them).
  const list = usePagedRows<BookingRow>(
    filterKey,
    (offset, limit) =>
      cadence().bookings.list({ filter: JSON.parse(filterKey) as BookingFilter, offset, limit }),
    ['app:changed', 'sync:finished'],
  );
  const { total, pageRows, loadPage, rowAt } = list;
  const syncing = useSyncRunning();

  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    scrollMargin: HEAD_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    const needed = new Set(items.map((i) => Math.floor(i.index / PAGE)));
    for (const index of needed) if (!pageRows.has(index)) loadPage(index);
  }, [items, pageRows, loadPage]);

  const filtersActive = filterKey !== '{}';

  return (
    <>
      <ScreenHeader
        title="Bookings"
        subtitle="Every meeting from your scheduling tools, in one list. A rescheduled meeting shows once, with its history."
      />
      <div className="filters row" role="search">
        <div className="row" role="group" aria-label="Sources">
          {bookingSources.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={sources.includes(s)}
              className={sources.includes(s) ? 'toggle on' : 'toggle'}
              onClick={() =>
                setSources((prev) =>
                  prev.includes(s) ? prev.filter((x) => x !== s) : [...prev, s],
                )
              }
              data-testid={`filter-source-${s}`}
            >
              {sourceLabels[s]}
            </button>
          ))}
        </div>
        <label className="inline">
          <span className="visually-hidden">Status</span>
          <select
            value={status}
            onChange={(e) => setStatus(e.target.value as BookingStatus | '')}
            data-testid="filter-status"
          >
            <option value="">All statuses</option>
            {bookingStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          From{' '}
          <input
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="filter-from"
          />
        </label>
        <label className="inline">
          to{' '}
          <input
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            data-testid="filter-to"
          />
        </label>
        <label className="inline grow">
          <span className="visually-hidden">Search</span>
          <input
            type="search"
            placeholder="Search title, attendee name or email"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="filter-search"
          />
        </label>
      </div>
      <p className="muted small" data-testid="bookings-count" aria-live="polite">
        {list.loading && !list.loaded ? 'Loading…' : plural(total, 'booking')}
        {filtersActive ? (total === 1 ? ' matches the filters' : ' match the filters') : ''}
      </p>
      {list.error && <p className="error-text">{list.error.message}</p>}
      {list.loaded && total === 0 ? (
        filtersActive ? (
          <Empty title="No bookings match" testId="bookings-no-match">
            Change or clear the filters to see more.
          </Empty>
        ) : syncing ? (
          <Empty title="Your first sync is running" testId="bookings-empty">
            Its progress is shown above, per source. Your bookings are listed here once it has
            finished.
          </Empty>
        ) : (
          <Empty title="No bookings yet" testId="bookings-empty">
            Press <strong>Sync now</strong> above to pull your bookings. Connect your scheduling
            accounts in Settings → Sources first, or try the demo practice from the Dashboard.
          </Empty>
        )
      ) : (
        <div
          className="vtable"
          role="table"
          aria-label="Bookings"
          aria-rowcount={total}
          data-testid="bookings-table"
        >
          {/* One scroller for the headings and the rows: scrolled sideways (a narrow window),
              they move together; the headings stick to the top when it scrolls down. */}
          <div className="vbody" ref={scrollRef} data-testid="bookings-scroll">
            <div className="vgrid">
              <div className="vrow vhead" role="row">
                <span role="columnheader">Source</span>
                <span role="columnheader">Start</span>
                <span role="columnheader">Attendees</span>
                <span role="columnheader">Event type</span>
                <span role="columnheader">Status</span>
              </div>
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const row = rowAt(item.index);
                  return (
                    <div
                      key={item.key}
                      className={`vrow${row && row.id === selected ? ' selected' : ''}`}
                      role="row"
                      aria-rowindex={item.index + 2}
                      tabIndex={0}
                      style={{
                        position: 'absolute',
                        top: 0,
                        left: 0,
                        right: 0,
                        height: ROW_HEIGHT,
                        // Starts count the headings above the rows (scrollMargin).
                        transform: `translateY(${item.start - HEAD_HEIGHT}px)`,
                      }}
                      onClick={() => row && setSelected(row.id)}
                      onKeyDown={(e) => {
                        if (row && (e.key === 'Enter' || e.key === ' ')) {
                          e.preventDefault();
                          setSelected(row.id);
                        }
                      }}
                      data-testid={row ? 'booking-row' : 'booking-row-loading'}
                    >
                      {row ? (
                        <>
                          <span role="cell">
                            <span className={`source-tag ${row.source}`}>
                              {sourceLabels[row.source]}
                            </span>
                          </span>
                          <span role="cell">{formatDateTime(row.startUtc)}</span>
                          <span
                            role="cell"
                            className="ellipsis"
                            title={row.attendees.map((a) => a.name ?? a.email).join(', ')}
                          >
                            {row.attendees.length === 0 ? (
                              <span className="muted">—</span>
                            ) : (
                              row.attendees.map((a) => a.name ?? a.email ?? '?').join(', ')
                            )}
                          </span>
                          <span role="cell" className="ellipsis" title={row.title}>
                            {row.eventTypeName ?? humanizeSlug(row.eventTypeSlug) ?? row.title}
                            {row.rescheduledFrom && <span className="pill tiny">rescheduled</span>}
                          </span>
                          <span role="cell">
                            <span className={`status ${row.status}`}>
                              {statusLabels[row.status]}
                            </span>
                          </span>
                        </>
                      ) : (
                        <span role="cell" className="muted">
                          Loading…
                        </span>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        </div>
      )}
      {selected !== null && <BookingDetailPanel id={selected} onClose={() => setSelected(null)} />}
    </>
  );
}
