// Sync now: the button, per-source progress (pages and bookings so far; rate-limit waits shown as
// waits), then the matching of the bookings' attendees to contacts (or why it stopped early), a
// later step that failed, Cancel, and the last result per source with a readable error.
import { useEffect, useState } from 'react';
import type {
  LastRun,
  SourceProgress,
  SyncStepFailed,
  SyncStepStarted,
} from '../../../shared/contract';
import type { MatchProgress, MatchStopped } from '../../../shared/contract-match';
import { matchingLine, type MatchingLine } from '../../../shared/match-progress';
import { sourceLabels, type SyncSource } from '../../../shared/domain';
import { failedSourceText, waitPurpose } from '../../../shared/sync-errors';
import {
  labelAfter,
  stepFailedDetail,
  stepFailedLabel,
  stepStartedText,
} from '../../../shared/sync-steps';
import { cadence, unwrap, useLoad } from '../api';
import { formatRelative, plural, seconds } from '../format';

function progressText(p: SourceProgress): string {
  const pages = p.pagesTotal
    ? `page ${p.page} of ${p.pagesTotal}`
    : p.page > 0
      ? `page ${p.page}`
      : 'starting';
  const counts = `${plural(p.fetched, p.source === 'lacrm' ? 'contact' : 'booking')} so far`;
  switch (p.state) {
    case 'running':
      return `${pages} · ${counts}`;
    case 'waiting':
      return `waiting ${seconds(p.waitMs ?? 0)} ${waitPurpose(p.waitReason)} · ${counts}`;
    case 'ok':
      return `done · ${p.created} new, ${p.updated} updated, ${p.unchanged} unchanged`;
    case 'cancelled':
      return `cancelled · ${counts} kept`;
    case 'failed':
      return failedSourceText(p.error, p.source, p.fetched);
  }
}

function lastText(run: LastRun): string {
  switch (run.state) {
    case 'ok':
      return `synced ${formatRelative(run.finishedAt)} · ${run.created} new, ${run.updated} updated`;
    case 'running':
      return 'Running…';
    case 'cancelled':
      return `Cancelled ${formatRelative(run.finishedAt)}`;
    case 'interrupted':
      return `Interrupted ${formatRelative(run.finishedAt)} · the next sync picks up where it left off`;
    case 'failed':
      return failedSourceText(
        { code: run.errorCode, message: run.error ?? 'Failed' },
        run.source,
        run.fetched,
      );
  }
}

const ELSEWHERE_POLL_MS = 3000;

export function SyncPanel() {
  const status = useLoad(() => cadence().sync.status(), [], ['app:changed', 'sync:finished']);
  const [live, setLive] = useState<Partial<Record<SyncSource, SourceProgress>>>({});
  const [matching, setMatching] = useState<MatchProgress | null>(null);
  const [matchingStopped, setMatchingStopped] = useState<MatchStopped | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      cadence().on('sync:progress', (p) => {
        setLive((prev) => ({ ...prev, [p.source]: p }));
      }),
    [],
  );
  // After the sources: the attendees of the new and changed bookings matched to contacts.
  useEffect(() => cadence().on('match:progress', setMatching), []);
  // A matching after a booking a webhook delivered that fails is said as the steps after are.
  const [webhookMatching, setWebhookMatching] = useState<MatchStopped | null>(null);
  useEffect(
    () =>
      cadence().on('match:stopped', (stopped) =>
        stopped.after === 'webhook' ? setWebhookMatching(stopped) : setMatchingStopped(stopped),
      ),
    [],
  );
  // Then the steps that sort the bookings and work out the changes for LACRM, said when they fail.
  const [stepFailures, setStepFailures] = useState<readonly SyncStepFailed[]>([]);
  useEffect(
    () =>
      cadence().on('sync:step-failed', (failed) =>
        setStepFailures((prev) => [...prev.filter((f) => f.step !== failed.step), failed]),
      ),
    [],
  );
  // A long step under way after this window's sync (working out the changes for LACRM), until it
  // ends one way or the other.
  const [working, setWorking] = useState<SyncStepStarted | null>(null);
  useEffect(
    () =>
      cadence().on('sync:step-started', (started) => {
        if (started.after === 'sync') setWorking(started);
      }),
    [],
  );
  useEffect(() => {
    const offs = [
      cadence().on('sync:step-done', (done) =>
        setWorking((w) => (w?.step === done.step ? null : w)),
      ),
      cadence().on('sync:step-failed', (failed) =>
        setWorking((w) => (w?.step === failed.step ? null : w)),
      ),
      cadence().on('sync:finished', () => setWorking(null)),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  // A failure said above is out of date once a later run of its step (after the next booking a
  // webhook delivered, say) has gone through: the line goes, rather than stay red until Sync now.
  useEffect(
    () =>
      cadence().on('sync:step-done', (done) => {
        if (done.step === 'matching') setWebhookMatching(null);
        else setStepFailures((prev) => prev.filter((f) => f.step !== done.step));
      }),
    [],
  );

  // What the panel says belongs to one data folder: entering or leaving the demo practice starts
  // it afresh (the other folder's results are not this one's). "No source is connected yet" is out
  // of date once a key or a source is added.
  useEffect(
    () =>
      cadence().on('app:changed', ({ reason }) => {
        if (reason === 'data-folder') {
          setLive({});
          setWorking(null);
          setMatching(null);
          setMatchingStopped(null);
          setWebhookMatching(null);
          setStepFailures([]);
        }
        if (reason === 'data-folder' || reason === 'secrets' || reason === 'sources') {
          setError(null);
        }
      }),
    [],
  );

  const busy = running || status.data?.running === true;
  // A sync another Cadence window or `cadence sync` runs on this data folder: said, Sync now
  // waits for it, and the status is asked again every few seconds until it has finished.
  const elsewhere = busy ? null : (status.data?.elsewhere ?? null);
  const reloadStatus = status.reload;
  useEffect(() => {
    if (elsewhere === null) return;
    const timer = setInterval(reloadStatus, ELSEWHERE_POLL_MS);
    return () => clearInterval(timer);
  }, [elsewhere, reloadStatus]);

  const start = async () => {
    setRunning(true);
    setError(null);
    setLive({});
    setMatching(null);
    setMatchingStopped(null);
    setWebhookMatching(null);
    setStepFailures([]);
    try {
      const outcome = await unwrap(cadence().sync.run({ sources: 'all' }));
      if (outcome.results.length === 0) {
        setError(
          'No source is connected yet. Add a key in Settings → Sources, or try the demo practice.',
        );
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
      status.reload();
    }
  };

  const liveList = Object.values(live);
  const last = status.data?.last ?? [];
  // A failed step is said under this window's sync, or under the last one's lines when it ran
  // after a booking a webhook delivered.
  const webhookMatchingLine = webhookMatching && (
    <li
      key="matching-webhook"
      data-testid="sync-step-matching"
      data-state="failed"
      data-after="webhook"
      role="alert"
    >
      <span className="dot failed" aria-hidden="true" />
      <strong>{labelAfter('Matching', 'webhook')}</strong>
      <span className="error-text">failed · {matchingLine(null, webhookMatching).detail}</span>
    </li>
  );
  const stepLines = [
    webhookMatchingLine,
    ...stepFailures.map((failed) => (
      <li
        key={failed.step}
        data-testid={`sync-step-${failed.step}`}
        data-state="failed"
        data-after={failed.after ?? 'sync'}
        role="alert"
      >
        <span className="dot failed" aria-hidden="true" />
        <strong>{stepFailedLabel(failed)}</strong>
        <span className="error-text">failed · {stepFailedDetail(failed)}</span>
      </li>
    )),
  ].filter((line) => line !== null);
  return (
    <section className="sync-panel" aria-label="Sync" data-testid="sync-panel">
      <div className="row">
        <button
          className="primary"
          onClick={() => void start()}
          disabled={busy || elsewhere !== null}
          data-testid="sync-now"
        >
          {busy ? 'Syncing…' : 'Sync now'}
        </button>
        {busy && (
          <button onClick={() => void cadence().sync.cancel()} data-testid="sync-cancel">
            Cancel
          </button>
        )}
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
        {elsewhere !== null && (
          <span className="muted" role="status" data-testid="sync-elsewhere">
            Another Cadence window or a <code>cadence sync</code> command is syncing this data
            folder (started {formatRelative(elsewhere.since)}). Sync now is available again when it
            finishes.
          </span>
        )}
      </div>
      {(busy || liveList.length > 0) && liveList.length > 0 ? (
        <ul className={busy ? 'sync-sources' : 'sync-sources compact'} data-testid="sync-progress">
          {liveList.map((p) => (
            <li key={p.source} data-testid={`sync-progress-${p.source}`} data-state={p.state}>
              <span className={`dot ${p.state}`} aria-hidden="true" />
              <strong>{sourceLabels[p.source]}</strong>
              <span className={p.state === 'failed' ? 'error-text' : 'muted'}>
                {progressText(p)}
              </span>
            </li>
          ))}
          {(matching !== null || matchingStopped !== null) && (
            <MatchingItem {...matchingLine(matching, matchingStopped)} />
          )}
          {busy && working && <WorkingItem started={working} />}
          {stepLines}
        </ul>
      ) : (
        (last.length > 0 || stepLines.length > 0) && (
          <ul className="sync-sources compact" data-testid="sync-last">
            {last.map((run) => (
              <li key={run.source} data-testid={`sync-last-${run.source}`} data-state={run.state}>
                <span className={`dot ${run.state}`} aria-hidden="true" />
                <strong>{sourceLabels[run.source]}</strong>
                <span className={run.state === 'failed' ? 'error-text' : 'muted'}>
                  {lastText(run)}
                </span>
              </li>
            ))}
            {stepLines}
          </ul>
        )
      )}
    </section>
  );
}

/** A long step after the matching, while it runs. */
function WorkingItem({ started }: { started: SyncStepStarted }) {
  const { label, detail } = stepStartedText(started);
  return (
    <li data-testid={`sync-working-${started.step}`} data-state="running" aria-live="polite">
      <span className="dot running" aria-hidden="true" />
      <strong>{label}</strong>
      <span className="muted">{detail}</span>
    </li>
  );
}

/** The Matching line under the sources, with a state as theirs have ('ok' once done). */
function MatchingItem({ state, detail }: MatchingLine) {
  const shown = state === 'done' ? 'ok' : state;
  return (
    <li data-testid="sync-progress-matching" data-state={shown}>
      <span className={`dot ${shown}`} aria-hidden="true" />
      <strong>Matching</strong>
      <span className={state === 'failed' ? 'error-text' : 'muted'}>
        {state === 'running' ? detail : `${state} · ${detail}`}
      </span>
    </li>
  );
}
