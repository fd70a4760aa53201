// Export the compliance report as CSV or PDF. The main process renders it, writes it into the
// exports folder inside Cadence's data folder and records its SHA-256; this shows the file's name
// and checksum, and every earlier export with its checksum, so a file handed to an examiner can be
// checked against the record. The renderer is never given a path.
import { useState } from 'react';
import type { ReportExportView, ReportFormat } from '../../../shared/contract-metrics';
import { cadence, unwrap, useLoad } from '../api';
import { ErrorNote } from '../components/Empty';
import { formatDateTime } from '../format';
import { calendarDate } from '../dashboard/format';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ExportPanel({ from, to, ready }: { from: string; to: string; ready: boolean }) {
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const [result, setResult] = useState<ReportExportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const history = useLoad(
    () => cadence().reports.exports({ limit: 20 }),
    [],
    ['app:changed', 'metrics:changed'],
  );

  const run = (format: ReportFormat) => {
    setBusy(format);
    setError(null);
    setResult(null);
    unwrap(cadence().reports.export({ format, from, to }))
      .then(setResult)
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(null));
  };

  return (
    <section className="card export-panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export for an examiner</h2>
      <div className="row">
        <button
          className="primary"
          disabled={!ready || busy !== null}
          onClick={() => run('csv')}
          data-testid="export-csv"
        >
          {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
        </button>
        <button
          disabled={!ready || busy !== null}
          onClick={() => run('pdf')}
          data-testid="export-pdf"
        >
          {busy === 'pdf' ? 'Building the PDF…' : 'Export PDF'}
        </button>
        <span className="muted small">
          {calendarDate(from)} to {calendarDate(to)}
        </span>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="export-result" role="status" data-testid="export-result">
          <div>
            Saved <strong data-testid="export-file">{result.fileName}</strong> ({size(result.bytes)}
            , {result.clients.toLocaleString()} clients, {result.reviews.toLocaleString()} reviews).
          </div>
          <div>
            SHA-256:{' '}
            <span className="sha" data-testid="export-sha">
              {result.sha256}
            </span>
          </div>
          <p className="muted small" style={{ margin: '4px 0 0' }}>
            The file is in the <strong>exports</strong> folder inside Cadence’s data folder
            (Settings → Storage shows where). Its checksum is recorded: if the file changes, its
            SHA-256 no longer matches.
          </p>
        </div>
      )}
      <ErrorNote error={history.error} />
      {history.data && history.data.exports.length > 0 && (
        <details data-testid="export-history">
          <summary className="muted small">
            Earlier exports ({history.data.exports.length.toLocaleString()} most recent)
          </summary>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Exported</th>
                <th scope="col">Format</th>
                <th scope="col">Period</th>
                <th scope="col">File</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {history.data.exports.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.generatedAt)}</td>
                  <td>{entry.format.toUpperCase()}</td>
                  <td>
                    {entry.periodFrom} to {entry.periodTo}
                  </td>
                  <td className="ellipsis" style={{ maxWidth: 220 }} title={entry.fileName ?? ''}>
                    {entry.fileName ?? '—'}
                    {entry.exportedBy === 'cli' ? ' (command line)' : ''}
                  </td>
                  <td className="sha">{entry.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {history.data && (
        <p className="retention-note" data-testid="retention-note">
          Records are kept for at least {history.data.retentionYears} years (SEC rule 204-2 asks
          five, FINRA six). Cadence never deletes meetings, reviews, exports or the audit log to
          meet a retention period.
        </p>
      )}
    </section>
  );
}
