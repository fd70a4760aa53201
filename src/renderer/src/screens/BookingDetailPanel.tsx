// One meeting in detail: attendees, hosts, answers, and its history across reschedules.
import { useEffect } from 'react';
import type { AttendeeMatch } from '../../../shared/contract-match';
import { sourceLabels, type MatchState } from '../../../shared/domain';
import { cadence, useLoad } from '../api';
import { formatDateTime, humanizeSlug, questionLabel, statusLabels } from '../format';
import { BookingClassification } from '../compliance/BookingClassification';
import { readableLocation } from '../../../shared/location';

const kindText: Record<string, string> = {
  created: 'First seen',
  status: 'Status changed',
  time: 'Time changed',
  rescheduled: 'Rescheduled',
  attendees: 'Attendees changed',
  details: 'Details changed',
};

/** How matching left an attendee, in words. */
const matchStateText: Record<MatchState, { label: string; tone: string }> = {
  auto: { label: 'matched automatically', tone: 'ok' },
  confirmed: { label: 'confirmed by you', tone: 'ok' },
  suggested: { label: 'suggestion', tone: 'warn' },
  unmatched: { label: 'no match', tone: 'warn' },
  rejected: { label: 'you rejected the suggestion', tone: 'warn' },
  ignored: { label: 'address ignored', tone: '' },
};

function MatchLine({ match }: { match: AttendeeMatch }) {
  // A host (the advisor's own address), or not matched yet (no contacts synced): nothing to say.
  if (match.state === null) return null;
  const text = matchStateText[match.state];
  const percent = match.score === null ? '' : ` (${Math.round(match.score * 100)}%)`;
  const name = match.contact?.name ?? match.closest?.name ?? null;
  const who =
    name === null
      ? 'no contact comes close'
      : match.state === 'suggested'
        ? `suggested: ${name}${percent}`
        : match.state === 'unmatched' || match.state === 'rejected'
          ? `closest: ${name}${percent}`
          : `→ ${name}`;
  return (
    <div className="muted" data-testid="booking-attendee-match" data-state={match.state}>
      {match.state !== 'ignored' && <span title={match.reason}>{who} </span>}
      <span className={`pill tiny ${text.tone}`}>{text.label}</span>
      {match.reviewKey !== null && (
        <>
          {' '}
          <a
            href={`#/review?item=${encodeURIComponent(match.reviewKey)}`}
            data-testid="booking-attendee-review"
          >
            decide in Review
          </a>
        </>
      )}
    </div>
  );
}

export function BookingDetailPanel({ id, onClose }: { id: number; onClose: () => void }) {
  const detail = useLoad(() => cadence().bookings.get({ id }), [id]);
  // Who each attendee is in the CRM; again after a decision made elsewhere.
  const matches = useLoad(
    () => cadence().matches.forBooking({ bookingId: id }),
    [id],
    ['app:changed', 'sync:finished'],
  );
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const b = detail.data;
  return (
    <aside className="detail-panel" aria-label="Booking details" data-testid="booking-detail">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2>{b?.title ?? 'Booking'}</h2>
        <button onClick={onClose} aria-label="Close details">
          Close
        </button>
      </div>
      {detail.error && <p className="error-text">{detail.error.message}</p>}
      {matches.error && (
        <p className="error-text small" data-testid="booking-matches-error">
          Who the attendees are in the CRM could not be read: {matches.error.message}
        </p>
      )}
      {b && (
        <>
          <dl className="kv">
            <dt>Source</dt>
            <dd>
              {sourceLabels[b.source]} <span className="mono muted">{b.sourceId}</span>
            </dd>
            <dt>When</dt>
            <dd>
              {formatDateTime(b.startUtc)} · {b.durationMinutes} min
              {b.timeZone ? ` · booked in ${b.timeZone}` : ''}
            </dd>
            <dt>Status</dt>
            <dd>
              {statusLabels[b.status]}
              {b.cancellationReason ? ` — “${b.cancellationReason}”` : ''}
            </dd>
            <dt>Event type</dt>
            <dd>{b.eventTypeName ?? humanizeSlug(b.eventTypeSlug) ?? '—'}</dd>
            {b.location && (
              <>
                <dt>Location</dt>
                <dd className="ellipsis" title={b.location}>
                  {readableLocation(b.location)}
                </dd>
              </>
            )}
            <dt>Hosts</dt>
            <dd>{b.hosts.map((h) => h.name ?? h.email).join(', ') || '—'}</dd>
            <dt>Attendees</dt>
            <dd>
              <ul className="plain">
                {b.attendees.map((a, i) => (
                  <li key={i}>
                    {a.name ?? '—'} <span className="muted">{a.email}</span>{' '}
                    {a.role === 'guest' && <span className="pill tiny">guest</span>}
                    {matches.data?.[i]?.email === a.email && <MatchLine match={matches.data[i]!} />}
                  </li>
                ))}
              </ul>
            </dd>
          </dl>
          <BookingClassification bookingId={b.id} />
          {b.customAnswers.length > 0 && (
            <>
              <h3>Answers</h3>
              <dl className="kv">
                {b.customAnswers.map((qa, i) => (
                  <div key={i} style={{ display: 'contents' }}>
                    <dt>{questionLabel(qa.question)}</dt>
                    <dd>{qa.answer}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
          <h3>History</h3>
          <ol className="history" data-testid="booking-history">
            {b.history.map((h, i) => (
              <li key={i}>
                <span className="muted">{formatDateTime(h.observedAt)}</span>{' '}
                {kindText[h.kind] ?? h.kind}
                {h.fromStatus && h.toStatus ? `: ${h.fromStatus} → ${h.toStatus}` : ''}
                {h.kind !== 'created' && h.fromStartUtc && h.toStartUtc
                  ? `: ${formatDateTime(h.fromStartUtc)} → ${formatDateTime(h.toStartUtc)}`
                  : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
