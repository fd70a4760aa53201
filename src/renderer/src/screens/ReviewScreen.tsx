// Review: attendees Cadence would not match on its own. Suggestions first (best score first), then
// attendees with no match (most bookings first); the selected one in detail beside the list.
// Everything works from the keyboard (j/k, a, r, /, i, n, u) and from visible buttons; every
// decision becomes an alias later syncs reuse, and the last one can always be undone.
import { useEffect, useRef, useState } from 'react';
import type { DecisionOutcome, ReviewItem, ReviewQueue } from '../../../shared/contract-match';
import type { Result } from '../../../shared/result';
import { cadence, unwrap, useLoad } from '../api';
import { Empty, ErrorNote, ScreenHeader } from '../components/Empty';
import { matchBacklogText, plural } from '../format';
import { hashParam } from '../navigation';
import { ReviewDetail, type ReviewActions } from '../review/ReviewDetail';
import { attendeeLabel, decidedFor, decisionText, percent, scoreTone } from '../review/format';
import { commandForKey, isEditable, reviewKeys, type ReviewCommand } from '../review/keys';
import '../review/review.css';

type Notice = Readonly<{ text: string; undoable: boolean }>;

function kindPill(item: ReviewItem) {
  if (item.request) return <span className="pill ok">New contact requested</span>;
  switch (item.kind) {
    case 'suggested':
      return <span className={`score ${scoreTone(item.score)}`}>{percent(item.score)}</span>;
    case 'rejected':
      return <span className="pill warn">Rejected</span>;
    case 'unmatched':
      return <span className="pill">{plural(item.bookingsCount, 'booking')}</span>;
  }
}

function itemSubline(item: ReviewItem): string {
  const top = item.candidates[0];
  if (item.kind === 'suggested' && top?.contact) return `→ ${top.contact.name}`;
  if (item.kind === 'rejected') return 'you rejected the suggestion: link or ignore';
  if (top?.contact) return `closest: ${top.contact.name} (${percent(top.score)})`;
  return 'no contact comes close';
}

/**
 * What matching has yet to go over (a sync cancelled before matching reached those bookings): the
 * queue lacks their attendees, so it must not be called complete.
 */
const backlogLeftOut = {
  pending: (it: string, its: string) =>
    `${its} attendees are not listed here. Sync now matches ${it}`,
  everything: 'this list may be out of date. Sync now matches them',
};

function EmptyQueue({ queue }: { queue: ReviewQueue }) {
  if (queue.contacts === 0 && queue.contactsSyncedAt === null) {
    return (
      <Empty
        title="Nothing to review yet"
        testId="review-empty"
        steps={[
          <>
            Connect Less Annoying CRM in <a href="#/settings">Settings → Sources</a>.
          </>,
          'Press Sync now: Cadence pulls your contacts and matches every attendee to one.',
          'Come back here for the attendees it could not match on its own.',
        ]}
      >
        When an attendee books under a personal address or a nickname, Cadence suggests the likely
        contact here and waits for you to confirm. Nothing is matched on a guess.
      </Empty>
    );
  }
  const { auto, confirmed, ignored } = queue.states;
  if (queue.matchBacklog) {
    return (
      <Empty title="Matching has not finished" testId="review-empty">
        <span data-testid="review-backlog">
          {matchBacklogText(queue.matchBacklog, backlogLeftOut)}
        </span>
        {auto + confirmed > 0 &&
          ` So far ${plural(auto, 'attendee')} matched by email automatically and ${plural(confirmed, 'attendee')} linked by you.`}
      </Empty>
    );
  }
  return (
    <Empty title="Nothing to review" testId="review-empty">
      Every attendee is matched to a contact or ignored: {plural(auto, 'attendee')} matched by email
      automatically, {plural(confirmed, 'attendee')} linked by you
      {ignored > 0 ? `, ${plural(ignored, 'attendee')} ignored` : ''}. New bookings that Cadence
      cannot match for certain will appear here after the next sync.
    </Empty>
  );
}

export function ReviewScreen() {
  // Opened from a booking ("decide in Review"): that attendee's item is listed and selected first.
  const [linkedKey] = useState(() => hashParam(window.location.hash, 'item'));
  const [notice, setNotice] = useState<Notice | null>(null);
  // Said once, when the queue first arrives: a link to an item that is no longer open.
  const linkChecked = useRef(false);
  const queue = useLoad(
    () =>
      cadence()
        .review.list({ limit: 500, ...(linkedKey === null ? {} : { include: linkedKey }) })
        .then((result) => {
          if (!linkChecked.current && linkedKey !== null && result.ok) {
            linkChecked.current = true;
            if (!result.value.items.some((item) => item.key === linkedKey)) {
              setNotice({
                text: 'The attendee you opened from a booking no longer waits here: it was decided or matched since.',
                undoable: false,
              });
            }
          }
          return result;
        }),
    [],
    ['app:changed', 'sync:finished'],
  );
  const [selectedKey, setSelectedKey] = useState<string | null>(linkedKey);
  const [lastIndex, setLastIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [bulkOpen, setBulkOpen] = useState(false);
  // The item the last decision was made on, to select it again if that decision is undone.
  const [decidedKey, setDecidedKey] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const data = queue.data;
  const items = data?.items ?? [];
  // The selection follows its item; when the item is settled it moves to whatever took its place.
  let index = items.findIndex((i) => i.key === selectedKey);
  if (index < 0) index = Math.min(lastIndex, items.length - 1);
  const selected = index >= 0 ? items[index] : undefined;

  const select = (next: number) => {
    const clamped = Math.max(0, Math.min(items.length - 1, next));
    setSelectedKey(items[clamped]?.key ?? null);
    setLastIndex(clamped);
    setRequesting(false);
  };

  // Keep the selected item in view inside the list (without scrolling the whole screen).
  useEffect(() => {
    const list = listRef.current;
    if (!selected || !list) return;
    const element = list.querySelector<HTMLElement>(`[data-key="${CSS.escape(selected.key)}"]`);
    if (!element) return;
    if (element.offsetTop < list.scrollTop) list.scrollTop = element.offsetTop;
    else if (element.offsetTop + element.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = element.offsetTop + element.offsetHeight - list.clientHeight;
  }, [selected]);

  const decide = (run: () => Promise<Result<DecisionOutcome>>, describe: string) => {
    setBusy(true);
    setError(null);
    setRequesting(false);
    setLastIndex(index);
    setDecidedKey(selected?.key ?? null);
    unwrap(run())
      .then((outcome) => {
        const others = outcome.affected > 1 ? ` (${plural(outcome.affected, 'attendee')})` : '';
        setNotice({ text: `${describe}${others}.`, undoable: true });
        queue.reload();
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  const actions: ReviewActions | null = selected
    ? {
        accept: (contactId, name) =>
          decide(
            () => cadence().matches.confirm({ attendeeId: selected.attendeeId, contactId }),
            `Linked ${decidedFor(selected)} to ${name}`,
          ),
        reject: () => {
          const top = selected.candidates[0];
          if (!top) return;
          decide(
            () =>
              cadence().matches.reject({
                attendeeId: selected.attendeeId,
                contactId: top.contactId,
              }),
            `Rejected ${top.contact?.name ?? 'the suggestion'} for ${decidedFor(selected)}`,
          );
        },
        ignore: () => {
          if (selected.email === null) return;
          decide(
            () => cadence().matches.ignore({ attendeeId: selected.attendeeId }),
            `Ignoring ${selected.email} from now on`,
          );
        },
        request: (firstName, lastName, email) =>
          decide(
            () =>
              cadence().matches.requestContact({
                attendeeId: selected.attendeeId,
                firstName,
                lastName,
                ...(email ? { email } : {}),
              }),
            `Requested a new LACRM contact for ${`${firstName} ${lastName}`.trim()}`,
          ),
      }
    : null;

  const undo = () => {
    setBusy(true);
    setError(null);
    unwrap(cadence().matches.undo({}))
      .then((outcome) => {
        const first = outcome.decisions[0];
        const what =
          outcome.decisions.length > 1
            ? plural(outcome.decisions.length, 'decision')
            : first
              ? decisionText(first)
              : 'the decision';
        setNotice({ text: `Undone: ${what}.`, undoable: false });
        // Select the item that came back, if it was decided here.
        if (decidedKey !== null) setSelectedKey(decidedKey);
        queue.reload();
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  const onCommand = (command: ReviewCommand) => {
    switch (command) {
      case 'next':
        select(index + 1);
        return;
      case 'previous':
        select(index - 1);
        return;
      case 'accept': {
        const top = selected?.candidates[0];
        if (top && top.contact && !busy) actions?.accept(top.contactId, top.contact.name);
        return;
      }
      case 'reject':
        if (!busy) actions?.reject();
        return;
      case 'search':
        searchRef.current?.focus();
        return;
      case 'ignore':
        if (!busy) actions?.ignore();
        return;
      case 'request':
        if (selected && !selected.request) setRequesting(true);
        return;
      case 'undo':
        if (!busy && data?.lastDecision) undo();
        return;
    }
  };
  const commandRef = useRef(onCommand);
  useEffect(() => {
    commandRef.current = onCommand;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandForKey({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        inField: isEditable(e.target),
      });
      if (command === null) return;
      e.preventDefault();
      commandRef.current(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const eligible = items.filter(
    (i) =>
      i.kind === 'suggested' && i.request === null && (i.score ?? 0) >= (data?.bulkThreshold ?? 1),
  );
  const bulkCount = data?.bulkEligible ?? 0;
  const acceptAll = () => {
    setBulkOpen(false);
    // Exactly the suggestions shown, when all of them are shown; else every one at the threshold.
    const keys = eligible.length === bulkCount ? eligible.map((i) => i.key) : undefined;
    decide(
      () => cadence().matches.bulkAccept({ minScore: data?.bulkThreshold, keys }),
      `Accepted ${plural(bulkCount, 'suggestion')}`,
    );
  };

  return (
    <div className="review-screen">
      <ScreenHeader
        title="Review"
        subtitle="Attendees Cadence could not match to a contact on its own. Nothing is matched on a guess: you decide."
        actions={
          data && data.total > 0 ? (
            <>
              <button
                className="review-bulk"
                disabled={busy || bulkCount === 0}
                onClick={() => setBulkOpen(true)}
                data-testid="review-bulk"
              >
                Accept {plural(bulkCount, 'suggestion')} ≥ {percent(data.bulkThreshold)}
              </button>
              <button
                disabled={busy || !data.lastDecision}
                onClick={undo}
                aria-keyshortcuts={reviewKeys.undo}
                title={data.lastDecision ? `Undo: ${decisionText(data.lastDecision)}` : undefined}
                data-testid="review-undo"
              >
                Undo last decision<kbd>{reviewKeys.undo}</kbd>
              </button>
            </>
          ) : undefined
        }
      />
      <ErrorNote error={queue.error} />
      {error && (
        <p className="error-text" role="alert" data-testid="review-error">
          {error}
        </p>
      )}
      {notice && (
        <div className="review-notice row" role="status" data-testid="review-notice">
          <span className="grow">{notice.text}</span>
          {notice.undoable && data?.lastDecision && (
            <button disabled={busy} onClick={undo} data-testid="review-notice-undo">
              Undo
            </button>
          )}
        </div>
      )}
      {bulkOpen && data && (
        <div
          className="card"
          role="alertdialog"
          aria-labelledby="bulk-heading"
          data-testid="review-bulk-dialog"
        >
          <h2 id="bulk-heading">
            Accept {plural(bulkCount, 'suggestion')} scoring {percent(data.bulkThreshold)} or more?
          </h2>
          <p className="muted">
            Each becomes a confirmed match, and its address is linked to that contact for future
            bookings. You can undo them together with one Undo.
          </p>
          <div className="row">
            <button className="primary" onClick={acceptAll} data-testid="review-bulk-confirm">
              Accept {plural(bulkCount, 'suggestion')}
            </button>
            <button onClick={() => setBulkOpen(false)} data-testid="review-bulk-cancel">
              Cancel
            </button>
          </div>
        </div>
      )}
      {!data && queue.loading && <p className="muted">Loading…</p>}
      {data && data.total === 0 && <EmptyQueue queue={data} />}
      {data && data.total > 0 && (
        <>
          {data.matchBacklog && (
            <p className="review-notice" role="status" data-testid="review-backlog">
              {matchBacklogText(data.matchBacklog, backlogLeftOut)}
            </p>
          )}
          <p className="muted small row review-summary" data-testid="review-summary">
            <span>{plural(data.counts.suggested, 'suggestion')}</span>
            <span>·</span>
            <span>{plural(data.counts.unmatched, 'attendee')} without a match</span>
            {data.counts.requested > 0 && (
              <>
                <span>·</span>
                <span>{plural(data.counts.requested, 'new contact')} requested</span>
              </>
            )}
            {data.total > items.length && <span>(showing the first {items.length})</span>}
          </p>
          <div className="review-layout">
            <ul
              className="review-list"
              role="listbox"
              aria-label="Attendees to review"
              aria-activedescendant={selected ? `review-item-${selected.attendeeId}` : undefined}
              tabIndex={0}
              ref={listRef}
              data-testid="review-list"
            >
              {items.map((item, i) => (
                <li
                  key={item.key}
                  id={`review-item-${item.attendeeId}`}
                  role="option"
                  aria-selected={i === index}
                  className="review-item"
                  data-key={item.key}
                  data-kind={item.kind}
                  data-testid="review-item"
                  onClick={() => select(i)}
                >
                  <span className="who">
                    <span className="ellipsis">{attendeeLabel(item)}</span>
                    {kindPill(item)}
                  </span>
                  <span className="email">
                    {item.name?.trim() ? (item.email ?? 'no email') : 'no name on the booking'}
                  </span>
                  <span className="email">{itemSubline(item)}</span>
                </li>
              ))}
            </ul>
            {selected && actions && (
              <ReviewDetail
                key={selected.key}
                item={selected}
                busy={busy}
                requesting={requesting}
                setRequesting={setRequesting}
                searchRef={searchRef}
                actions={actions}
              />
            )}
          </div>
          <p className="review-keys" aria-hidden="true">
            Keys: <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> accept · <kbd>r</kbd> not this
            contact · <kbd>/</kbd> search · <kbd>i</kbd> ignore address · <kbd>n</kbd> new contact ·{' '}
            <kbd>u</kbd> undo
          </p>
        </>
      )}
    </div>
  );
}
