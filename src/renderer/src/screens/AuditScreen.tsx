// The audit log: every decision and every write to LACRM, newest first, each entry sealed with the
// SHA-256 of the one before it. Verify recomputes the whole chain and names the first entry that
// does not hold up; Export saves it as JSON Lines an examiner can check without Cadence. Each row
// reads as a line (src/shared/audit-describe.ts) with the names the main process looked up; the
// stored entry itself is what Export hands out.
import { useState } from 'react';
import {
  auditActionGroups,
  auditActorLabel,
  describeAuditEntry,
  type AuditFormat,
} from '../../../shared/audit-describe';
import type { AuditEntryView, AuditVerdict } from '../../../shared/contract-changes';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote, ScreenHeader } from '../components/Empty';
import { formatDate, formatDateTime } from '../format';
import '../changes/changes.css';

const PAGE = 100;

/** Dates in the advisor's locale, as elsewhere in the app. */
const screenFormat: AuditFormat = { dateTime: (iso) => formatDateTime(iso), date: formatDate };

function EntryRow({ entry }: Readonly<{ entry: AuditEntryView }>) {
  const line = describeAuditEntry(entry, screenFormat);
  return (
    <tr data-testid="audit-entry" data-action={entry.action}>
      <td>{entry.id}</td>
      <td className="muted">{formatDateTime(entry.at)}</td>
      <td>{auditActorLabel(entry.actor)}</td>
      <td data-testid="audit-entry-what">
        <span className="audit-what">{line.what}</span>
        {line.about && (
          <div className="small" data-testid="audit-entry-about">
            {line.about}
          </div>
        )}
      </td>
      <td className="mono">{entry.lacrmId ?? ''}</td>
      <td className="detail" title={`Entry hash ${entry.hash}`} data-testid="audit-entry-detail">
        {line.details.length > 0 && (
          <dl className="audit-detail">
            {line.details.map((d, index) => (
              <div key={index}>
                <dt>{d.label}:</dt> <dd>{d.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
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
            {auditActionGroups().map(({ group, actions }) => (
              <optgroup key={group} label={group}>
                {actions.map(({ action: value, label }) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </optgroup>
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
            <EntryRow key={entry.id} entry={entry} />
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
