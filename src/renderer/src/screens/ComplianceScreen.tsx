// Compliance: evidence that each client's portfolio was reviewed at the agreed frequency, for a
// period (the last 12 months by default): every client, those with no review in the period first,
// each held review with its source, booking id, classification and who confirmed the match; then
// the same report exported as CSV or PDF with its SHA-256 recorded.
import { useState } from 'react';
import {
  MAX_REPORT_YEARS,
  ReportPeriod,
  type ComplianceReportView,
} from '../../../shared/contract-metrics';
import type { Result } from '../../../shared/result';
import { cadence, useLoad } from '../api';
import { Empty, ErrorNote, ScreenHeader } from '../components/Empty';
import { ComplianceTable } from '../compliance/ComplianceTable';
import { ExportPanel } from '../compliance/ExportPanel';
import '../compliance/compliance.css';
import '../dashboard/dashboard.css';
import { plural } from '../format';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today in the advisor's zone, and the day a year before tomorrow: the last 12 months. */
function lastTwelveMonths(zone: string): { from: string; to: string } {
  const today = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const start = new Date(Date.UTC(year - 1, month - 1, day + 1));
  return { from: start.toISOString().slice(0, 10), to: today };
}

/** What is wrong with a period, in words, before the report is asked for; null when nothing. */
function periodProblem(from: string, to: string): string | null {
  if (!DATE.test(from) || !DATE.test(to)) return 'Choose both dates of the period.';
  if (from > to) return 'Choose a period: “from” must not be after “to”.';
  if (!ReportPeriod.safeParse({ from, to }).success)
    return `A report covers at most ${MAX_REPORT_YEARS} years: choose a shorter period.`;
  return null;
}

export function ComplianceScreen() {
  const settings = useLoad(() => cadence().settings.get(), []);
  const [fromInput, setFrom] = useState<string | null>(null);
  const [toInput, setTo] = useState<string | null>(null);
  const defaults = settings.data ? lastTwelveMonths(settings.data['review.timezone']) : null;
  const from = fromInput ?? defaults?.from ?? '';
  const to = toInput ?? defaults?.to ?? '';
  const problem = periodProblem(from, to);
  const valid = problem === null;

  const report = useLoad(
    (): Promise<Result<ComplianceReportView>> =>
      valid
        ? cadence().reports.compliance({ from, to })
        : Promise.resolve({
            ok: false,
            error: {
              code: 'invalid_input',
              message: problem ?? '',
            },
          }),
    [from, to, valid],
    ['app:changed', 'sync:finished', 'metrics:changed'],
  );
  const data = report.data;
  const current = data && data.periodFrom === from && data.periodTo === to ? data : undefined;

  return (
    <>
      <ScreenHeader
        title="Compliance"
        subtitle="Evidence that each client’s portfolio was reviewed at the agreed frequency. Only held reviews count."
      />
      <div className="period-picker" role="group" aria-label="Report period">
        <label>
          From
          <input
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="period-from"
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
            data-testid="period-to"
          />
        </label>
        {(fromInput !== null || toInput !== null) && (
          <button
            type="button"
            onClick={() => {
              setFrom(null);
              setTo(null);
            }}
          >
            Last 12 months
          </button>
        )}
        {settings.data && (
          <span className="muted small">Dates in {settings.data['review.timezone']}</span>
        )}
      </div>
      <ErrorNote error={settings.error ?? report.error} />
      {!current ? (
        valid &&
        !report.error && (
          <p className="muted" data-testid="compliance-loading" aria-live="polite">
            Gathering the evidence…
          </p>
        )
      ) : current.clients.length === 0 ? (
        <Empty title="No clients yet" testId="compliance-empty">
          Clients appear here once meetings are synced and linked to your Less Annoying CRM
          contacts, and either a portfolio review is on record or a review cadence is set for them.
        </Empty>
      ) : (
        <>
          <div className="compliance-summary" data-testid="compliance-summary" aria-live="polite">
            <span>
              <strong>{current.summary.clients.toLocaleString()}</strong>{' '}
              {current.summary.clients === 1 ? 'client' : 'clients'}
            </span>
            <span>
              <strong>{current.summary.reviewedInPeriod.toLocaleString()}</strong> reviewed in the
              period
            </span>
            <span>
              <strong>{current.summary.notReviewed.toLocaleString()}</strong> not reviewed (listed
              first)
            </span>
            <span>
              <strong>{current.summary.overdueNow.toLocaleString()}</strong> overdue today
            </span>
            <span className="muted">
              {plural(
                current.clients.reduce((n, c) => n + c.reviews.length, 0),
                'held review',
              )}{' '}
              · advisor {current.advisorName}
            </span>
          </div>
          <ComplianceTable report={current} />
        </>
      )}
      <ExportPanel from={from} to={to} ready={valid && current !== undefined} />
    </>
  );
}
