// The list behind a dashboard number: clients (by status, or as they stood at a past month end)
// or bookings (a month's meetings of a category, the upcoming reviews), in a virtualized table
// that loads a page at a time, so a list of thousands stays smooth.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  BookingList,
  ClientListFilter,
  ClientMetrics,
  MetricsBookingRow,
} from '../../../shared/contract-metrics';
import { sourceLabels } from '../../../shared/domain';
import { cadence } from '../api';
import { PAGE, usePagedRows } from '../paged';
import { ErrorNote } from '../components/Empty';
import { formatDateTime, plural, statusLabels } from '../format';
import { BookingDetailPanel } from '../screens/BookingDetailPanel';
import { calendarDate, categoryLabel, reviewStatusLabels, statusColors } from './format';

export type Drill =
  | Readonly<{
      kind: 'clients';
      filter: ClientListFilter;
      /** A past day: the clients as they stood that evening. */
      asOf?: string;
      title: string;
      note?: string;
    }>
  | Readonly<{ kind: 'bookings'; list: BookingList; title: string; note?: string }>;

const ROW_HEIGHT = 40;
const EVENTS = ['app:changed', 'sync:finished', 'metrics:changed'] as const;

function VirtualRows<T>({
  list,
  className,
  testId,
  render,
  onOpen,
}: {
  list: ReturnType<typeof usePagedRows<T>>;
  className: string;
  testId: string;
  render: (row: T) => React.ReactNode;
  onOpen?: (row: T) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: list.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const { pageRows, loadPage } = list;
  useEffect(() => {
    const needed = new Set(items.map((item) => Math.floor(item.index / PAGE)));
    for (const index of needed) if (!pageRows.has(index)) loadPage(index);
  }, [items, pageRows, loadPage]);
  return (
    <div className="drill-body" ref={scrollRef} data-testid={`${testId}-scroll`}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = list.rowAt(item.index);
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              className={`drill-row ${className}${onOpen && row ? ' clickable' : ''}`}
              tabIndex={onOpen && row ? 0 : undefined}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              }}
              onClick={() => row && onOpen?.(row)}
              onKeyDown={(e) => {
                if (row && onOpen && (e.key === 'Enter' || e.key === ' ')) {
                  e.preventDefault();
                  onOpen(row);
                }
              }}
              data-testid={row ? `${testId}-row` : `${testId}-loading`}
            >
              {row ? (
                render(row)
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
  );
}

function StatusPill({ status }: { status: ClientMetrics['status'] }) {
  if (status === null) return <span className="muted small">Not a client</span>;
  return (
    <span className="status-pill" style={{ ['--dot' as string]: statusColors[status] }}>
      {reviewStatusLabels[status]}
    </span>
  );
}

function cadenceText(row: ClientMetrics): string {
  if (row.cadenceMonths === null) return '—';
  const every =
    row.cadenceMonths === 12
      ? 'Yearly'
      : row.cadenceMonths === 3
        ? 'Quarterly'
        : `${row.cadenceMonths} mo`;
  return row.cadenceSource === 'default' ? every : `${every}*`;
}

function ClientList({ drill }: { drill: Extract<Drill, { kind: 'clients' }> }) {
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText.trim()), 250);
    return () => clearTimeout(timer);
  }, [searchText]);
  const key = JSON.stringify([drill.filter, drill.asOf ?? null, search]);
  const list = usePagedRows<ClientMetrics>(
    key,
    (offset, limit) =>
      cadence().metrics.clients({
        filter: drill.filter,
        ...(drill.asOf ? { asOf: drill.asOf } : {}),
        ...(search ? { search } : {}),
        offset,
        limit,
      }),
    EVENTS,
  );
  return (
    <>
      <div className="row">
        <input
          type="search"
          placeholder="Search by name"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          aria-label="Search the list by name"
          data-testid="drill-search"
        />
        <span className="muted small" data-testid="drill-count" aria-live="polite">
          {list.loaded ? plural(list.total, 'client') : 'Loading…'}
        </span>
      </div>
      <ErrorNote error={list.error} />
      <div className="drill-table" role="table" aria-label={drill.title} aria-rowcount={list.total}>
        <div className="drill-row clients head" role="row">
          <span role="columnheader">Name</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Last review</span>
          <span role="columnheader">Next due</span>
          <span role="columnheader" title="* set for the client or their group">
            Cadence
          </span>
          <span role="columnheader" title="Meetings held in the last 365 days">
            Mtgs 1y
          </span>
          <span role="columnheader">Next booked</span>
          <span role="columnheader">No-shows</span>
        </div>
        {list.loaded && list.total === 0 ? (
          <p className="muted" style={{ padding: 14 }} data-testid="drill-empty">
            {search ? 'No one on this list matches the search.' : 'No one is on this list.'}
          </p>
        ) : (
          <VirtualRows
            list={list}
            className="clients"
            testId="drill-client"
            render={(row) => (
              <>
                <span role="cell" className="ellipsis" title={row.name}>
                  {row.name}
                </span>
                <span role="cell">
                  <StatusPill status={row.status} />
                </span>
                <span role="cell" className="num">
                  {calendarDate(row.lastReview)}
                </span>
                <span role="cell" className="num">
                  {calendarDate(row.nextReviewDue)}
                </span>
                <span role="cell">{cadenceText(row)}</span>
                <span role="cell" className="num">
                  {row.meetings365}
                </span>
                <span role="cell" className="num">
                  {row.nextBookedReview ? calendarDate(row.nextBookedReview.slice(0, 10)) : '—'}
                </span>
                <span role="cell" className="num">
                  {row.noShows}
                </span>
              </>
            )}
          />
        )}
      </div>
    </>
  );
}

function BookingListView({
  drill,
  onDetailOpen,
}: {
  drill: Extract<Drill, { kind: 'bookings' }>;
  onDetailOpen: (open: boolean) => void;
}) {
  const [selected, setSelected] = useState<number | null>(null);
  useEffect(() => onDetailOpen(selected !== null), [selected, onDetailOpen]);
  const key = JSON.stringify(drill.list);
  const list = usePagedRows<MetricsBookingRow>(
    key,
    (offset, limit) => cadence().metrics.bookings({ list: drill.list, offset, limit }),
    EVENTS,
  );
  return (
    <>
      <span className="muted small" data-testid="drill-count" aria-live="polite">
        {list.loaded ? plural(list.total, 'meeting') : 'Loading…'} · select one to see how it was
        classified
      </span>
      <ErrorNote error={list.error} />
      <div className="drill-table" role="table" aria-label={drill.title} aria-rowcount={list.total}>
        <div className="drill-row bookings head" role="row">
          <span role="columnheader">When</span>
          <span role="columnheader">Source</span>
          <span role="columnheader">Meeting</span>
          <span role="columnheader">Clients</span>
          <span role="columnheader">Category (rule)</span>
          <span role="columnheader">Status</span>
        </div>
        {list.loaded && list.total === 0 ? (
          <p className="muted" style={{ padding: 14 }} data-testid="drill-empty">
            No meetings are on this list.
          </p>
        ) : (
          <VirtualRows
            list={list}
            className="bookings"
            testId="drill-booking"
            onOpen={(row) => setSelected(row.id)}
            render={(row) => (
              <>
                <span role="cell">{formatDateTime(row.startUtc)}</span>
                <span role="cell">
                  <span className={`source-tag ${row.source}`}>{sourceLabels[row.source]}</span>
                </span>
                <span role="cell" className="ellipsis" title={row.title}>
                  {row.title}
                </span>
                <span
                  role="cell"
                  className="ellipsis"
                  title={row.clients.map((c) => c.name).join(', ')}
                >
                  {row.clients.length ? (
                    row.clients.map((c) => c.name).join(', ')
                  ) : (
                    <span className="muted">Not linked</span>
                  )}
                </span>
                <span role="cell" className="ellipsis">
                  {categoryLabel(row.category)}{' '}
                  <span className="muted small">
                    ({row.overridden ? 'set by you' : (row.ruleName ?? 'no rule')})
                  </span>
                </span>
                <span role="cell">
                  <span className={`status ${row.status}`}>{statusLabels[row.status]}</span>
                </span>
              </>
            )}
          />
        )}
      </div>
      {selected !== null && <BookingDetailPanel id={selected} onClose={() => setSelected(null)} />}
    </>
  );
}

export function DrillDownPanel({ drill, onClose }: { drill: Drill; onClose: () => void }) {
  // A meeting opened from the list closes first on Escape; this panel on the next one. The key is
  // seen here in the capture phase, before the meeting's panel closes, so one press never closes
  // both.
  const detailOpen = useRef(false);
  const onDetailOpen = useCallback((open: boolean) => {
    detailOpen.current = open;
  }, []);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !detailOpen.current) close.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <aside className="drill-panel" aria-label={drill.title} data-testid="drill-panel">
      <header>
        <div>
          <h2 data-testid="drill-title">{drill.title}</h2>
          {drill.note && <p>{drill.note}</p>}
        </div>
        <button onClick={onClose} aria-label="Close the list" data-testid="drill-close">
          Close
        </button>
      </header>
      {drill.kind === 'clients' ? (
        <ClientList drill={drill} />
      ) : (
        <BookingListView drill={drill} onDetailOpen={onDetailOpen} />
      )}
    </aside>
  );
}
