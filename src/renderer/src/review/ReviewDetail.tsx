// One item of the review queue in detail: the booking, the attendee and the candidates side by
// side with score and reason, and every decision as a visible button with its key: accept a
// candidate, reject the suggestion, link another contact found by search, request a new contact,
// ignore the address.
import { useEffect, useState, type RefObject } from 'react';
import type { ContactSummary, ReviewItem } from '../../../shared/contract-match';
import { sourceLabels } from '../../../shared/domain';
import { cadence, useLoad } from '../api';
import { formatDateTime, plural } from '../format';
import { attendeeLabel, contactLine, percent, scoreTone, splitName } from './format';
import { reviewKeys } from './keys';

export type ReviewActions = Readonly<{
  accept: (contactId: string, contactName: string) => void;
  reject: () => void;
  ignore: () => void;
  request: (firstName: string, lastName: string, email: string | null) => void;
}>;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function ContactSearch({
  searchRef,
  busy,
  onLink,
}: {
  searchRef: RefObject<HTMLInputElement | null>;
  busy: boolean;
  onLink: (contact: ContactSummary) => void;
}) {
  const [query, setQuery] = useState('');
  const debounced = useDebounced(query.trim(), 200);
  const results = useLoad(
    () =>
      debounced.length === 0
        ? Promise.resolve({ ok: true as const, value: [] as ContactSummary[] })
        : cadence().contacts.search({ query: debounced, limit: 8 }),
    [debounced],
    [],
  );
  const list = debounced.length === 0 ? [] : (results.data ?? []);
  return (
    <section className="card review-search" aria-labelledby="review-search-heading">
      <h3 id="review-search-heading">Link to another contact</h3>
      <label htmlFor="review-search-input" className="visually-hidden">
        Search contacts by name, company or email
      </label>
      <input
        id="review-search-input"
        ref={searchRef}
        type="search"
        placeholder="Search contacts by name, company or email (press / )"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        aria-keyshortcuts={reviewKeys.search}
        data-testid="review-search"
      />
      {results.error && <p className="error-text">{results.error.message}</p>}
      {debounced.length > 0 && results.data && list.length === 0 && (
        <p className="muted small" data-testid="review-search-empty">
          No contact matches “{debounced}”. Request a new contact instead?
        </p>
      )}
      {list.length > 0 && (
        <ul aria-label="Matching contacts">
          {list.map((contact) => (
            <li key={contact.contactId} data-testid="review-search-result">
              <span>
                <strong>{contactLine(contact)}</strong>{' '}
                <span className="muted">{contact.emails.join(', ') || 'no email'}</span>
              </span>
              <button
                disabled={busy}
                onClick={() => onLink(contact)}
                aria-label={`Link to ${contact.name}`}
                data-testid="review-link"
              >
                Link
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RequestForm(props: {
  item: ReviewItem;
  busy: boolean;
  onSubmit: (firstName: string, lastName: string, email: string | null) => void;
  onCancel: () => void;
}) {
  const initial = splitName(props.item.name);
  const [firstName, setFirstName] = useState(initial.firstName);
  const [lastName, setLastName] = useState(initial.lastName);
  const [email, setEmail] = useState(props.item.email ?? '');
  const ready = firstName.trim().length + lastName.trim().length > 0;
  return (
    <form
      className="card"
      aria-label="Request a new contact"
      data-testid="review-request-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) props.onSubmit(firstName.trim(), lastName.trim(), email.trim() || null);
      }}
    >
      <h3>Request a new LACRM contact</h3>
      <p className="muted small">
        This is added to the changes waiting for your approval; nothing is written to LACRM now.
      </p>
      <div className="request-form">
        <div>
          <label htmlFor="request-first">First name</label>
          <input
            id="request-first"
            value={firstName}
            onChange={(e) => setFirstName(e.target.value)}
            autoFocus
          />
        </div>
        <div>
          <label htmlFor="request-last">Last name</label>
          <input id="request-last" value={lastName} onChange={(e) => setLastName(e.target.value)} />
        </div>
        <div className="wide">
          <label htmlFor="request-email">Email</label>
          <input
            id="request-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
      </div>
      <div className="row review-actions">
        <button
          type="submit"
          className="primary"
          disabled={!ready || props.busy}
          data-testid="review-request-submit"
        >
          Request contact
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ReviewDetail(props: {
  item: ReviewItem;
  busy: boolean;
  requesting: boolean;
  setRequesting: (on: boolean) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  actions: ReviewActions;
}) {
  const { item, busy, actions } = props;
  const top = item.candidates[0];
  const canReject = top !== undefined;
  return (
    <div className="review-detail" data-testid="review-detail" aria-label="Selected item">
      <section className="card" aria-labelledby="review-attendee-heading">
        <h2 id="review-attendee-heading">
          {attendeeLabel(item)}
          {item.kind === 'suggested' && <span className="pill">Suggestion</span>}
          {item.kind === 'unmatched' && <span className="pill warn">No match</span>}
          {item.kind === 'rejected' && (
            <span className="pill warn">You rejected the suggestion</span>
          )}
          {item.request && <span className="pill ok">New contact requested</span>}
        </h2>
        <dl className="kv">
          <dt>Email</dt>
          <dd data-testid="review-attendee-email">{item.email ?? '—'}</dd>
          <dt>Booking</dt>
          <dd>
            {item.booking.title}
            <div className="muted small">
              {formatDateTime(item.booking.startUtc)} · {sourceLabels[item.booking.source]} ·{' '}
              {item.booking.status.replace('_', ' ')}
            </div>
          </dd>
          <dt>Bookings</dt>
          <dd>
            {plural(item.bookingsCount, 'booking')} under this address and name
            {item.bookingsCount > 1 ? ' — one decision settles them all' : ''}
          </dd>
          <dt>Why</dt>
          <dd className="muted">{item.reason}</dd>
          {item.request && (
            <>
              <dt>Requested</dt>
              <dd data-testid="review-request-note">
                New contact {item.request.firstName} {item.request.lastName}
                {item.request.email ? ` <${item.request.email}>` : ''}, waiting for the change list
                (undo with <kbd>u</kbd>)
              </dd>
            </>
          )}
        </dl>
        <div className="row review-actions">
          {/* Without a suggestion the closest contact is only that: offered, not put forward. */}
          <button
            className={item.kind === 'suggested' ? 'primary' : undefined}
            disabled={busy || top === undefined || top.contact === null}
            onClick={() => top && actions.accept(top.contactId, top.contact?.name ?? top.contactId)}
            aria-keyshortcuts={reviewKeys.accept}
            data-testid="review-accept"
          >
            {item.kind === 'suggested'
              ? `Accept ${top?.contact ? top.contact.name : 'top candidate'}`
              : `Link to ${top?.contact ? top.contact.name : 'the top candidate'}${top ? ` (closest, ${percent(top.score)})` : ''}`}
            <kbd>{reviewKeys.accept}</kbd>
          </button>
          <button
            disabled={busy || !canReject}
            onClick={actions.reject}
            aria-keyshortcuts={reviewKeys.reject}
            data-testid="review-reject"
          >
            Not this contact<kbd>{reviewKeys.reject}</kbd>
          </button>
          <button
            disabled={busy || item.email === null}
            onClick={actions.ignore}
            aria-keyshortcuts={reviewKeys.ignore}
            data-testid="review-ignore"
          >
            Ignore this address<kbd>{reviewKeys.ignore}</kbd>
          </button>
          <button
            disabled={busy || item.request !== null}
            onClick={() => props.setRequesting(true)}
            aria-keyshortcuts={reviewKeys.request}
            data-testid="review-request"
          >
            New LACRM contact…<kbd>{reviewKeys.request}</kbd>
          </button>
        </div>
      </section>

      {props.requesting && (
        <RequestForm
          item={item}
          busy={busy}
          onSubmit={(first, last, email) => actions.request(first, last, email)}
          onCancel={() => props.setRequesting(false)}
        />
      )}

      <section className="card" aria-labelledby="review-candidates-heading">
        <h3 id="review-candidates-heading">
          {item.kind === 'suggested' ? 'Candidates' : 'Closest contacts'}
        </h3>
        {item.candidates.length === 0 ? (
          <p className="muted" data-testid="review-no-candidates">
            No contact comes close. Search for one below, request a new contact, or ignore the
            address.
          </p>
        ) : (
          <table className="data candidates" aria-label="Candidate contacts">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Score</th>
                <th scope="col">Why</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {item.candidates.map((c, i) => (
                <tr key={c.contactId} data-testid="review-candidate">
                  <td className="contact">
                    <strong>{c.contact?.name ?? `Contact ${c.contactId}`}</strong>
                    {c.contact?.company && <div className="muted small">{c.contact.company}</div>}
                    <div className="emails">{c.contact?.emails.join(', ') || 'no email'}</div>
                    {c.contact?.removed && (
                      <div className="error-text small">removed from LACRM</div>
                    )}
                    {c.contact === null && (
                      <div className="error-text small">not in the synced contacts</div>
                    )}
                  </td>
                  <td className="score-cell">
                    <span className={`score ${scoreTone(c.score)}`}>{percent(c.score)}</span>
                  </td>
                  <td className="reason">{c.reason}</td>
                  <td className="action">
                    <button
                      className={i === 0 && item.kind === 'suggested' ? 'primary' : undefined}
                      disabled={busy || c.contact === null || c.contact.removed}
                      onClick={() => actions.accept(c.contactId, c.contact?.name ?? c.contactId)}
                      aria-label={`${item.kind === 'suggested' ? 'Accept' : 'Link to'} ${c.contact?.name ?? c.contactId}`}
                      data-testid="review-accept-candidate"
                    >
                      {item.kind === 'suggested' ? 'Accept' : 'Link'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <ContactSearch
        searchRef={props.searchRef}
        busy={busy}
        onLink={(contact) => actions.accept(contact.contactId, contact.name)}
      />
    </div>
  );
}
