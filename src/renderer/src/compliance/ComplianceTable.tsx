// The compliance report on screen: one row per client (clients with no review in the period
// first, as in the exports) and under it each review held in the period with its evidence.
// Virtualized, so a practice of thousands of clients scrolls smoothly.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { ComplianceReportView } from '../../../shared/contract-metrics';
import { sourceLabels, SyncSource } from '../../../shared/domain';
import { calendarDate, instantIn, reviewStatusLabels, statusColors } from '../dashboard/format';

type Client = ComplianceReportView['clients'][number];
type Review = Client['reviews'][number];
type Item =
  | Readonly<{ kind: 'client'; client: Client }>
  | Readonly<{ kind: 'review'; review: Review; client: Client }>;

const CLIENT_HEIGHT = 42;
const REVIEW_HEIGHT = 46;
/** The two rows of headings, in the same scroller above the rows (.c-row.head in compliance.css). */
const HEAD_HEIGHT = 2 * 34;

function sourceLabel(source: string): string {
  const known = SyncSource.safeParse(source);
  return known.success ? sourceLabels[known.data] : source;
}

function cadenceText(months: number): string {
  if (months === 12) return 'Yearly';
  if (months === 3) return 'Quarterly';
  if (months === 6) return 'Half-yearly';
  return `Every ${months} mo`;
}

function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function ComplianceTable({ report }: { report: ComplianceReportView }) {
  const items = useMemo(() => {
    const out: Item[] = [];
    for (const client of report.clients) {
      out.push({ kind: 'client', client });
      for (const review of client.reviews) out.push({ kind: 'review', review, client });
    }
    return out;
  }, [report]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]?.kind === 'review' ? REVIEW_HEIGHT : CLIENT_HEIGHT),
    scrollMargin: HEAD_HEIGHT,
    overscan: 12,
  });
  return (
    <div
      className="compliance-table"
      role="table"
      aria-label="Clients and their reviews in the period"
      data-testid="compliance-table"
    >
      {/* One scroller for the headings and the rows: scrolled sideways (a narrow window), they
          move together; the headings stick to the top when it scrolls down. */}
      <div className="compliance-body" ref={scrollRef} data-testid="compliance-scroll">
        <div className="c-grid">
          <div className="c-head">
            <div className="c-row client head" role="row">
              <span role="columnheader">Client</span>
              <span role="columnheader">Status today</span>
              <span role="columnheader">Cadence</span>
              <span role="columnheader">Last review</span>
              <span role="columnheader">Next due</span>
              <span role="columnheader">Reviews in the period</span>
            </div>
            <div className="c-row review head" role="row">
              <span role="columnheader">Review held</span>
              <span role="columnheader">Source and booking ID</span>
              <span role="columnheader">Length</span>
              <span role="columnheader">Status</span>
              <span role="columnheader">Rule and reason</span>
              <span role="columnheader">Client match confirmed</span>
              <span role="columnheader">LACRM</span>
            </div>
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((virtual) => {
              const item = items[virtual.index]!;
              const style = {
                position: 'absolute' as const,
                top: 0,
                left: 0,
                right: 0,
                height: virtual.size,
                // Starts count the headings above the rows (scrollMargin).
                transform: `translateY(${virtual.start - HEAD_HEIGHT}px)`,
              };
              if (item.kind === 'client') {
                const { client } = item;
                const reviewed = client.reviews.length > 0;
                return (
                  <div
                    key={virtual.key}
                    role="row"
                    className={`c-row client${reviewed ? '' : ' unreviewed'}`}
                    style={style}
                    data-testid="compliance-client"
                    data-reviewed={reviewed ? 'yes' : 'no'}
                  >
                    <span role="cell" className="ellipsis" title={client.name}>
                      {client.name}
                    </span>
                    <span role="cell">
                      <span
                        className="status-pill"
                        style={{ ['--dot' as string]: statusColors[client.status] }}
                      >
                        {reviewStatusLabels[client.status]}
                      </span>
                    </span>
                    <span role="cell">{cadenceText(client.cadenceMonths)}</span>
                    <span role="cell">{calendarDate(client.lastReview)}</span>
                    <span role="cell">{calendarDate(client.nextReviewDue)}</span>
                    <span role="cell">
                      {reviewed ? (
                        `${client.reviews.length} held`
                      ) : (
                        <span className="pill warn" title="No review held in this period">
                          None held
                        </span>
                      )}
                    </span>
                  </div>
                );
              }
              const { review } = item;
              return (
                <div
                  key={virtual.key}
                  role="row"
                  className="c-row review"
                  style={style}
                  data-testid="compliance-review"
                >
                  <span role="cell" className="cell-stack">
                    <span>{calendarDate(review.date.slice(0, 10))}</span>
                    <span className="muted">{review.date.slice(11)}</span>
                  </span>
                  <span role="cell" className="cell-stack" title={review.bookingId}>
                    <span>{sourceLabel(review.source)}</span>
                    <span className="muted mono small">{review.bookingId}</span>
                  </span>
                  <span role="cell">{review.durationMinutes} min</span>
                  <span role="cell">
                    {humanize(review.status === 'completed' ? 'held' : review.status)}
                  </span>
                  <span role="cell" className="cell-stack" title={review.classificationReason}>
                    <span>{review.ruleName ?? 'Set by you'}</span>
                    <span className="muted">{review.classificationReason}</span>
                  </span>
                  <span
                    role="cell"
                    className="cell-stack"
                    title={`${review.matchConfirmedBy}, ${instantIn(review.matchConfirmedAt, report.timeZone)}`}
                  >
                    <span>{review.matchConfirmedBy}</span>
                    <span className="muted">
                      {instantIn(review.matchConfirmedAt, report.timeZone)}
                    </span>
                  </span>
                  <span
                    role="cell"
                    className="cell-stack"
                    title={
                      review.pushedToLacrm
                        ? `Written ${instantIn(review.pushedToLacrm, report.timeZone)}`
                        : undefined
                    }
                  >
                    {review.pushedToLacrm ? (
                      <>
                        <span>Written</span>
                        <span className="muted">
                          {instantIn(review.pushedToLacrm, report.timeZone)}
                        </span>
                      </>
                    ) : (
                      <span className="muted">Not written</span>
                    )}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
