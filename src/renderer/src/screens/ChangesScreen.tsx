// Changes: what Cadence proposes to write to Less Annoying CRM, grouped by contact, each write as a
// before → after diff. Approve or reject one, a contact's, or all; see what a push will write; Push
// approved with progress and Cancel; and undo a push (its undo is proposed here for approval too).
// Nothing reaches the CRM without the advisor's approval.
import { useEffect, useRef, useState } from 'react';
import type { ChangeGroup, PushBatchView, PushProgress } from '../../../shared/contract-changes';
import type { ChangeState } from '../../../shared/domain';
import { cadence, unwrap, useLoad } from '../api';
import { Empty, ErrorNote, ScreenHeader } from '../components/Empty';
import { ChangeList } from '../changes/ChangeList';
import { progressText, writeSummary } from '../changes/format';
import { formatDateTime, plural } from '../format';
import '../changes/changes.css';

type View = 'open' | 'pushed' | 'closed';

const viewStates: Readonly<Record<View, readonly ChangeState[]>> = {
  open: ['proposed', 'approved', 'pushing', 'failed'],
  pushed: ['pushed'],
  closed: ['rejected', 'undone'],
};

const viewLabels: Readonly<Record<View, string>> = {
  open: 'To review',
  pushed: 'Written',
  closed: 'Rejected & undone',
};

function groupCounts(group: ChangeGroup, view: View): string {
  if (view !== 'open') return plural(group.total, 'change');
  const { proposed, approved, failed, pushing } = group.counts;
  return [
    proposed ? `${proposed} proposed` : '',
    approved ? `${approved} approved` : '',
    failed ? `${failed} failed` : '',
    pushing ? `${pushing} writing` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function PushPanel({
  progress,
  onCancel,
  onDismiss,
}: {
  progress: PushProgress;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const running = progress.state === 'running';
  return (
    <section
      className="card push-panel"
      aria-live="polite"
      data-testid="push-progress"
      data-state={progress.state}
    >
      <div className="row">
        <strong className="grow">
          {running ? `Pushing to LACRM (push #${progress.batchId})` : `Push #${progress.batchId}`}
        </strong>
        {running ? (
          <button onClick={onCancel} data-testid="push-cancel">
            Cancel
          </button>
        ) : (
          <button onClick={onDismiss} aria-label="Hide the push result">
            Hide
          </button>
        )}
      </div>
      <progress max={Math.max(1, progress.total)} value={progress.done} />
      <span
        className={progress.failed > 0 ? 'error-text' : 'muted'}
        data-testid="push-progress-text"
      >
        {progressText(progress)}
      </span>
    </section>
  );
}

function Batches({
  batches,
  onUndo,
  busy,
}: {
  batches: readonly PushBatchView[];
  onUndo: (batch: PushBatchView) => void;
  busy: boolean;
}) {
  const [confirming, setConfirming] = useState<number | null>(null);
  if (batches.length === 0) return null;
  return (
    <section className="card" aria-labelledby="batches-heading">
      <h2 id="batches-heading">Recent pushes</h2>
      <p className="muted">
        Undo proposes the changes that reverse a push (delete what it created, put back the values
        it replaced). They wait for your approval like any other change.
      </p>
      <table className="data" data-testid="push-batches">
        <thead>
          <tr>
            <th scope="col">Push</th>
            <th scope="col">Started</th>
            <th scope="col">Result</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {batches.map((batch) => (
            <tr key={batch.id} data-testid="push-batch" data-id={batch.id}>
              <td>
                #{batch.id}
                {batch.isUndo ? ' (undo)' : ''}
              </td>
              <td className="muted">{formatDateTime(batch.startedAt)}</td>
              <td>
                {batch.pushed} written, {batch.failed} failed of {batch.total}
                {batch.state !== 'finished' ? ` · ${batch.state}` : ''}
                {batch.message && <div className="muted small">{batch.message}</div>}
              </td>
              <td>
                {confirming === batch.id ? (
                  <span className="row">
                    <button
                      className="danger"
                      disabled={busy}
                      onClick={() => {
                        setConfirming(null);
                        onUndo(batch);
                      }}
                      data-testid="batch-undo-confirm"
                    >
                      Propose undo
                    </button>
                    <button onClick={() => setConfirming(null)}>Keep</button>
                  </span>
                ) : (
                  <button
                    disabled={busy || batch.undoBlocked !== null}
                    title={batch.undoBlocked ?? undefined}
                    onClick={() => setConfirming(batch.id)}
                    data-testid="batch-undo"
                  >
                    Undo…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ChangesScreen() {
  const [view, setView] = useState<View>('open');
  const summary = useLoad(
    () => cadence().changes.summary({ states: [...viewStates[view]] }),
    [view],
    ['changes:changed', 'sync:finished'],
  );
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [live, setLive] = useState<PushProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmRejectAll, setConfirmRejectAll] = useState(false);

  // The plan follows bookings, matches and settings: bring it up to date when the screen opens.
  useEffect(() => {
    void cadence().changes.plan();
  }, []);
  useEffect(() => cadence().on('changes:progress', (p) => setLive(p)), []);

  const data = summary.data;
  const progress = live ?? data?.push ?? null;
  const pushing = progress?.state === 'running';
  const counts = data?.counts;

  // What an action did is said at the top of the screen: brought into view when the action was far
  // down the list (Propose undo on a written push), so its next step is not missed.
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.scrollIntoView({ block: 'nearest' });
  }, [notice]);

  const run = (work: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    work()
      .then((text) => {
        if (text) setNotice(text);
        summary.reload();
      })
      .catch((e: Error) => setError(e))
      .finally(() => setBusy(false));
  };

  const decideGroup = (verb: 'approve' | 'reject', group: string) =>
    run(async () => {
      const call = verb === 'approve' ? cadence().changes.approve : cadence().changes.reject;
      const result = await unwrap(call({ group }));
      return `${verb === 'approve' ? 'Approved' : 'Rejected'} ${plural(result.changed, 'change')}.`;
    });

  const push = () =>
    run(async () => {
      const outcome = await unwrap(cadence().changes.push());
      return outcome.failed > 0
        ? `${plural(outcome.pushed, 'change')} written; ${plural(outcome.failed, 'change')} failed — see each for why.`
        : `${plural(outcome.pushed, 'change')} written to LACRM.`;
    });

  const undo = (batch: PushBatchView) =>
    run(async () => {
      const outcome = await unwrap(cadence().changes.undo({ batchId: batch.id }));
      setView('open');
      setExpanded((prev) => new Set([...prev, `undo:${batch.id}`]));
      const skipped = outcome.notUndoable.length
        ? ` ${plural(outcome.notUndoable.length, 'change')} cannot be undone: ${outcome.notUndoable[0]!.reason}`
        : '';
      return `Proposed ${plural(outcome.changeIds.length, 'change')} to undo push #${batch.id}. Approve them, then push.${skipped}`;
    });

  const toggle = (key: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const willWrite = data?.willWrite;
  return (
    <>
      <ScreenHeader
        title="Changes"
        subtitle="What Cadence proposes to write to Less Annoying CRM. Nothing is written until you approve it, and every push can be undone."
        actions={
          <>
            <button
              disabled={busy || pushing || !counts?.proposed}
              onClick={() =>
                run(async () => {
                  const r = await unwrap(cadence().changes.approve({ all: true }));
                  return `Approved ${plural(r.changed, 'change')}.`;
                })
              }
              data-testid="changes-approve-all"
            >
              Approve all{counts?.proposed ? ` (${counts.proposed.toLocaleString()})` : ''}
            </button>
            {confirmRejectAll ? (
              <>
                <button
                  className="danger"
                  disabled={busy || pushing}
                  onClick={() => {
                    setConfirmRejectAll(false);
                    run(async () => {
                      const r = await unwrap(cadence().changes.reject({ all: true }));
                      return `Rejected ${plural(r.changed, 'change')}.`;
                    });
                  }}
                  data-testid="changes-reject-all-confirm"
                >
                  Reject {((counts?.proposed ?? 0) + (counts?.approved ?? 0)).toLocaleString()}{' '}
                  changes
                </button>
                <button onClick={() => setConfirmRejectAll(false)}>Keep them</button>
              </>
            ) : (
              <button
                className="danger"
                disabled={busy || pushing || !((counts?.proposed ?? 0) + (counts?.approved ?? 0))}
                onClick={() => setConfirmRejectAll(true)}
                data-testid="changes-reject-all"
              >
                Reject all…
              </button>
            )}
            <button
              className="primary"
              disabled={busy || pushing || !willWrite?.total || !data?.lacrmConnected}
              onClick={push}
              data-testid="changes-push"
            >
              Push approved{willWrite?.total ? ` (${willWrite.total.toLocaleString()})` : ''}
            </button>
          </>
        }
      />
      <ErrorNote error={error ?? summary.error} />
      {notice && (
        <p className="ok-text" role="status" data-testid="changes-notice" ref={noticeRef}>
          {notice}
        </p>
      )}
      {data && !data.lacrmConnected && (
        <div className="banner warn" role="status">
          Connect Less Annoying CRM in <a href="#/settings">Settings → Sources</a> to push changes.
        </div>
      )}
      {progress && (
        <PushPanel
          progress={progress}
          onCancel={() => void cadence().changes.cancel()}
          onDismiss={() => setLive(null)}
        />
      )}
      <div className="row changes-toolbar">
        <div className="changes-tabs" role="group" aria-label="Show">
          {(Object.keys(viewLabels) as View[]).map((v) => (
            <button
              key={v}
              aria-pressed={view === v}
              onClick={() => setView(v)}
              data-testid={`changes-view-${v}`}
            >
              {viewLabels[v]}
            </button>
          ))}
        </div>
        {counts && willWrite && (
          <span className="muted" data-testid="changes-summary">
            {counts.proposed.toLocaleString()} proposed · {counts.approved.toLocaleString()}{' '}
            approved
            {counts.failed ? ` · ${counts.failed.toLocaleString()} failed` : ''} ·{' '}
            {willWrite.total > 0
              ? `Push approved writes ${writeSummary(willWrite.byKind)}`
              : 'approve changes to push them'}
          </span>
        )}
      </div>
      {data && data.groups.length === 0 && (
        <Empty
          title={view === 'open' ? 'No changes waiting' : 'Nothing here yet'}
          testId="changes-empty"
        >
          {view === 'open'
            ? 'After a sync, Cadence proposes an LACRM event for each held meeting with a matched contact, plus the review fields and notes you turn on in Settings → CRM fields. They appear here field by field.'
            : 'Changes move here once they are written, rejected or undone.'}
        </Empty>
      )}
      <ul className="change-groups" data-testid="change-groups">
        {data?.groups.map((group) => {
          const open = expanded.has(group.key);
          return (
            <li
              key={group.key}
              className="change-group"
              data-testid="change-group"
              data-key={group.key}
              data-type={group.type}
            >
              <div className="change-group-head">
                <button
                  className="toggle-group"
                  aria-expanded={open}
                  onClick={() => toggle(group.key)}
                  data-testid="change-group-toggle"
                >
                  <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                  <span>{group.name}</span>
                  <span className="muted small" data-testid="change-group-counts">
                    {groupCounts(group, view)}
                  </span>
                </button>
                {view === 'open' && group.counts.proposed > 0 && (
                  <button
                    disabled={busy || pushing}
                    onClick={() => decideGroup('approve', group.key)}
                    data-testid="change-group-approve"
                  >
                    Approve {group.counts.proposed}
                  </button>
                )}
                {view === 'open' && group.counts.proposed + group.counts.approved > 0 && (
                  <button
                    className="danger"
                    disabled={busy || pushing}
                    onClick={() => decideGroup('reject', group.key)}
                    data-testid="change-group-reject"
                  >
                    Reject
                  </button>
                )}
              </div>
              {open && <ChangeList group={group.key} states={viewStates[view]} />}
            </li>
          );
        })}
      </ul>
      {data && <Batches batches={data.batches} onUndo={undo} busy={busy || pushing} />}
      <p className="muted">
        Every approval, rejection, push and undo is recorded in the <a href="#/audit">audit log</a>.
      </p>
    </>
  );
}
