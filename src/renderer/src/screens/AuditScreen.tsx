// The audit log: every decision and every write to LACRM, newest first, each entry sealed with the
// SHA-256 of the one before it. Verify recomputes the whole chain and names the first entry that
// does not hold up; Export saves it as JSON Lines an examiner can check without Cadence.
import { useState } from 'react';
import type { AuditEntryView, AuditVerdict } from '../../../shared/contract-changes';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote, ScreenHeader } from '../components/Empty';
import { formatDateTime } from '../format';
import '../changes/changes.css';

const PAGE = 100;

const actionLabels: Readonly<Record<string, string>> = {
  'change.approved': 'Approved a change',
  'change.rejected': 'Rejected a change',
  'change.reproposed': 'Proposed again (inputs changed)',
  'change.withdrawn': 'Withdrawn (no longer needed)',
  'change.undone': 'Change undone',
  'undo.requested': 'Asked to undo a push',
  'push.started': 'Push started',
  'push.finished': 'Push finished',
  'push.failed': 'Write failed',
  'push.event_created': 'Created an event',
  'push.event_updated': 'Updated an event',
  'push.event_deleted': 'Deleted an event',
  'push.note_created': 'Created a note',
  'push.note_updated': 'Updated a note',
  'push.note_deleted': 'Deleted a note',
  'push.contact_updated': 'Updated contact fields',
  'push.contact_created': 'Created a contact',
};

function subjectText(entry: AuditEntryView): string {
  switch (entry.subjectType) {
    case 'change':
      return `change #${entry.subjectId}`;
    case 'push_batch':
      return `push #${entry.subjectId}`;
    default:
      return [entry.subjectType, entry.subjectId].filter(Boolean).join(' ');
  }
}

function detailText(entry: AuditEntryView): string {
  if (!entry.detail) return '(unreadable detail)';
  const text = JSON.stringify(entry.detail);
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function AuditScreen() {
  const [action, setAction] = useState('');
  const [pages, setPages] = useState(1);
  const log = useLoad(
    () => cadence().audit.list({ limit: PAGE * pages, ...(action ? { action } : {}) }),
    [action, pages],
    ['changes:changed', 'app:changed'],
  );
  const [verdict, setVerdict] = useState<AuditVerdict | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = () => {
    setBusy(true);
    setError(null);
    unwrap(cadence().audit.verify())
      .then(setVerdict)
      .catch((e: Error) => setError(e))
      .finally(() => setBusy(false));
  };

  const exportLog = () => {
    setBusy(true);
    setError(null);
    unwrap(cadence().audit.export())
      .then((file) => {
        download(file.fileName, file.text);
        setExported(
          `Saved ${file.fileName}: ${file.entries.toLocaleString()} entries, SHA-256 ${file.sha256}.`,
        );
      })
      .catch((e: Error) => setError(e))
      .finally(() => setBusy(false));
  };

  const entries = log.data?.entries ?? [];
  return (
    <>
      <ScreenHeader
        title="Audit log"
        subtitle="Every decision and every write to Less Annoying CRM. Entries can only be added; each carries the SHA-256 of the one before, so a changed or removed entry shows."
        actions={
          <>
            <button disabled={busy} onClick={verify} data-testid="audit-verify">
              Verify chain
            </button>
            <button disabled={busy} onClick={exportLog} data-testid="audit-export">
              Export
            </button>
          </>
        }
      />
      <ErrorNote error={error ?? log.error} />
      {verdict && (
        <div
          className={`card ${verdict.ok ? 'ok-text' : 'error-text'}`}
          role="status"
          data-testid="audit-verdict"
          data-ok={verdict.ok}
        >
          {verdict.ok
            ? `Verified: all ${verdict.entries.toLocaleString()} entries chain correctly (head ${verdict.headHash?.slice(0, 16)}…).`
            : `The log does not verify at entry ${verdict.brokenAt}: ${verdict.reason}`}
        </div>
      )}
      {exported && (
        <p className="ok-text" role="status">
          {exported}
        </p>
      )}
      <div className="row changes-toolbar">
        <label className="row" style={{ fontWeight: 'normal' }}>
          Show
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setPages(1);
            }}
            data-testid="audit-filter"
          >
            <option value="">everything</option>
            {Object.entries(actionLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {log.data ? `${log.data.total.toLocaleString()} entries in the log` : 'Loading…'}
        </span>
      </div>
      <table className="data audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">LACRM id</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-entry" data-action={entry.action}>
              <td>{entry.id}</td>
              <td className="muted">{formatDateTime(entry.at)}</td>
              <td>{entry.actor}</td>
              <td>
                {actionLabels[entry.action] ?? entry.action}
                {entry.subjectId && <div className="muted small">{subjectText(entry)}</div>}
              </td>
              <td className="mono">{entry.lacrmId ?? ''}</td>
              <td className="detail" title={entry.hash}>
                {detailText(entry)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === PAGE * pages && (
        <p>
          <button onClick={() => setPages((p) => p + 1)} data-testid="audit-more">
            Show older entries
          </button>
        </p>
      )}
    </>
  );
}
