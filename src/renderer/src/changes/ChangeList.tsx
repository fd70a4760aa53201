// One group's changes (a contact's, the new contacts, an undo), each as a field-level diff with its
// state and the buttons that apply to it: approve, reject, and retry for a failed write.
import { useState } from 'react';
import type { ChangeView } from '../../../shared/contract-changes';
import type { ChangeState } from '../../../shared/domain';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote } from '../components/Empty';
import { formatDateTime } from '../format';
import { kindLabels, stateLabels, stateTone } from './format';

function Diff({ change }: { change: ChangeView }) {
  if (change.fields.length === 0) return null;
  const deletes = change.kind === 'DeleteEvent' || change.kind === 'DeleteNote';
  return (
    <table className="diff" data-testid="change-diff">
      <thead className="visually-hidden">
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {change.fields.map((f) => (
          <tr key={f.field} className={f.changed ? 'changed' : undefined} data-field={f.field}>
            <th scope="row">{f.field}</th>
            <td className={f.before === null ? 'before none' : 'before'}>
              {f.before ?? (f.changed ? '—' : '')}
            </td>
            <td className="after">
              {f.after ?? (f.changed ? (deletes ? '(deleted)' : '(empty)') : '')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChangeItem({
  change,
  busy,
  act,
}: {
  change: ChangeView;
  busy: boolean;
  act: (verb: 'approve' | 'reject', id: number) => void;
}) {
  const decidable =
    change.state === 'proposed' || change.state === 'approved' || change.state === 'failed';
  return (
    <li
      className="change-item"
      data-testid="change-item"
      data-id={change.id}
      data-state={change.state}
    >
      <div className="change-item-head">
        <span className="kind-badge">{kindLabels[change.kind]}</span>
        <span className="summary">{change.summary}</span>
        <span className={`pill ${stateTone(change.state)}`} data-testid="change-state">
          {stateLabels[change.state]}
        </span>
        {change.state === 'proposed' && (
          <button
            disabled={busy}
            onClick={() => act('approve', change.id)}
            data-testid="change-approve"
          >
            Approve
          </button>
        )}
        {change.state === 'failed' && (
          <button
            disabled={busy}
            onClick={() => act('approve', change.id)}
            data-testid="change-retry"
          >
            Retry
          </button>
        )}
        {decidable && (
          <button
            className="danger"
            disabled={busy}
            onClick={() => act('reject', change.id)}
            data-testid="change-reject"
          >
            Reject
          </button>
        )}
      </div>
      <Diff change={change} />
      {change.reason && <p className="change-note muted">{change.reason}</p>}
      {change.error && change.state === 'failed' && (
        <p className="change-note error-text" role="alert" data-testid="change-error">
          {change.error}
        </p>
      )}
      {change.lacrmId && (change.state === 'pushed' || change.state === 'undone') && (
        <p className="change-note muted" data-testid="change-lacrm-id">
          LACRM id <span className="mono">{change.lacrmId}</span>
          {change.pushedAt ? ` · written ${formatDateTime(change.pushedAt)}` : ''}
          {change.batchId ? ` · push #${change.batchId}` : ''}
        </p>
      )}
    </li>
  );
}

export function ChangeList({ group, states }: { group: string; states: readonly ChangeState[] }) {
  const list = useLoad(
    () => cadence().changes.list({ group, states: [...states], limit: 500 }),
    [group, states.join(',')],
    ['changes:changed'],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const act = (verb: 'approve' | 'reject', id: number) => {
    setBusy(true);
    setError(null);
    const call = verb === 'approve' ? cadence().changes.approve : cadence().changes.reject;
    unwrap(call({ ids: [id] }))
      .then(() => list.reload())
      .catch((e: Error) => setError(e))
      .finally(() => setBusy(false));
  };
  const changes = list.data?.changes ?? [];
  return (
    <>
      <ErrorNote error={error ?? list.error} />
      {list.data === undefined && <p className="muted change-list">Loading…</p>}
      <ul className="change-list" data-testid="change-list">
        {changes.map((change) => (
          <ChangeItem key={change.id} change={change} busy={busy} act={act} />
        ))}
      </ul>
      {list.data && list.data.total > changes.length && (
        <p className="muted change-list">
          Showing the first {changes.length.toLocaleString()} of {list.data.total.toLocaleString()}.
        </p>
      )}
    </>
  );
}
