// sync, export bookings.
import { z } from 'zod';
import type { SourceProgress, SyncStepFailed, SyncStepStarted } from '../../shared/contract';
import type { MatchProgress, MatchStopped } from '../../shared/contract-match';
import { sourceLabels, SyncSource } from '../../shared/domain';
import { matchingText } from '../../shared/match-progress';
import { failedSourceText, waitPurpose } from '../../shared/sync-errors';
import { stepFailedLine, stepFailedProblem, stepStartedText } from '../../shared/sync-steps';
import { iterateBookings } from '../db/queries/bookings-read';
import { classificationLabels } from '../metrics/classification-store';
import { ensureClassified } from '../pipeline/classification';
import { CommandError, UsageError, type Command } from './command';
import { parseFormat, toCsv, writeOutput } from './output';

const SourceArg = z.union([z.literal('all'), SyncSource]);

export const BOOKING_EXPORT_COLUMNS = [
  'source',
  'sourceId',
  'title',
  'eventTypeSlug',
  'start',
  'end',
  'status',
  'attendeeEmails',
  'rescheduledFrom',
  'category',
  'rule',
] as const;

function describe(p: SourceProgress): string {
  const label = sourceLabels[p.source];
  const pages = p.pagesTotal ? `page ${p.page}/${p.pagesTotal}` : `page ${p.page}`;
  const noun = p.source === 'lacrm' ? 'contacts' : 'bookings';
  const counts = `${p.fetched} ${noun} (${p.created} new, ${p.updated} updated, ${p.unchanged} unchanged), ${p.requests} requests`;
  switch (p.state) {
    case 'running':
      return p.page === 0 ? `${label}: starting…` : `${label}: ${pages} · ${counts}`;
    case 'waiting':
      return `${label}: waiting ${Math.ceil((p.waitMs ?? 0) / 1000)} s ${waitPurpose(p.waitReason)} · ${counts}`;
    case 'ok':
      return `${label}: done · ${counts}`;
    case 'cancelled':
      return `${label}: cancelled · ${counts}`;
    case 'failed':
      return `${label}: FAILED · ${failedSourceText(p.error, p.source, p.fetched)}`;
  }
}

/** The matching after the sources, as the panel says it (FAILED in capitals, as for a source). */
export const syncCommands: Command[] = [
  {
    name: ['sync'],
    usage: 'sync [--source calcom|calendly|tidycal|lacrm|all] [--full]',
    summary:
      'Pull bookings (and contacts) now, then match their attendees to contacts. Progress on stderr, a summary at the end; exit 1 if any source failed or the matching (or a later step: categories, changes for LACRM) did not complete.',
    options: { source: { type: 'string', multiple: true }, full: { type: 'boolean' } },
    async run(args, { io, core }) {
      if (args.positionals.length > 0)
        throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
      const raw = (args.values.source as string[] | undefined) ?? ['all'];
      const parsed = raw.map((s) => SourceArg.safeParse(s));
      const bad = parsed.findIndex((p) => !p.success);
      if (bad >= 0)
        throw new UsageError(
          `--source must be calcom, calendly, tidycal, lacrm or all (got "${raw[bad]}")`,
        );
      const values = parsed.map((p) => p.data!);
      const sources = values.includes('all') ? 'all' : (values as SyncSource[]);
      const c = await core();
      const last = new Map<string, string>();
      let matching: MatchProgress | null = null;
      let matchingStopped: MatchStopped | null = null;
      const stepFailures = new Map<SyncStepFailed['step'], SyncStepFailed>();
      const say = (key: string, line: string) => {
        if (last.get(key) === line) return;
        last.set(key, line);
        io.stderr(`${line}\n`);
      };
      const off = c.subscribe((event, payload) => {
        if (event === 'sync:progress') {
          const p = payload as SourceProgress;
          say(p.source, describe(p));
        } else if (event === 'match:progress' || event === 'match:stopped') {
          if (event === 'match:progress') matching = payload as MatchProgress;
          else matchingStopped = payload as MatchStopped;
          say('matching', matchingText(matching, matchingStopped));
        } else if (event === 'sync:step-started') {
          const { label, detail } = stepStartedText(payload as SyncStepStarted);
          say('plan', `${label}: ${detail}`);
        } else if (event === 'sync:step-failed') {
          const failed = payload as SyncStepFailed;
          stepFailures.set(failed.step, failed);
          say(failed.step, stepFailedLine(failed));
        }
      });
      const onSignal = () => {
        io.stderr('Cancelling…\n');
        c.context.sync.cancel();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const outcome = await c.call('sync:run', {
          sources,
          mode: args.values.full ? 'full' : 'incremental',
        });
        io.stderr('\nSummary\n');
        for (const r of outcome.results) io.stderr(`  ${describe(r)}\n`);
        for (const s of outcome.skipped)
          io.stderr(`  ${sourceLabels[s.source]}: skipped · ${s.reason}\n`);
        if (outcome.results.length === 0) io.stderr('  Nothing to sync: no source is connected.\n');
        if (matching !== null || matchingStopped !== null)
          io.stderr(`  ${matchingText(matching, matchingStopped)}\n`);
        for (const step of stepFailures.values()) io.stderr(`  ${stepFailedLine(step)}\n`);
        const failed = outcome.results.filter((r) => r.state !== 'ok');
        const problems = [
          ...(failed.length > 0
            ? [`${failed.map((f) => sourceLabels[f.source]).join(', ')} did not sync`]
            : []),
          ...(matchingStopped === null ? [] : ['the matching did not complete']),
          ...[...stepFailures.values()].map(stepFailedProblem),
        ];
        if (problems.length > 0) throw new CommandError(problems.join('; '));
      } finally {
        off();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  },
  {
    name: ['export', 'bookings'],
    usage: 'export bookings --format json|csv [--out FILE]',
    summary:
      'One row per booking: source, sourceId, title, eventTypeSlug, start, end, status, attendee emails, rescheduledFrom, category, and the rule that set it (its name, "override", or empty).',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(args, { io, core }) {
      if (args.positionals.length > 0)
        throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
      const format = parseFormat(args.values.format);
      const c = await core();
      const db = c.context.db();
      ensureClassified(db, c.context.clock());
      const rows: Record<string, unknown>[] = [];
      for (const batch of iterateBookings(db, c.context.clock())) {
        const classified = classificationLabels(
          db,
          batch.map((b) => b.id),
        );
        for (const b of batch) {
          const label = classified.get(b.id);
          rows.push({
            source: b.source,
            sourceId: b.sourceId,
            title: b.title,
            eventTypeSlug: b.eventTypeSlug,
            start: b.startUtc,
            end: b.endUtc,
            status: b.status,
            attendeeEmails: b.attendees
              .filter((a) => a.role === 'attendee' || a.role === 'guest')
              .map((a) => a.email)
              .filter(Boolean),
            rescheduledFrom: b.rescheduledFrom,
            category: label?.category ?? null,
            rule: label?.rule ?? null,
          });
        }
      }
      const text =
        format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : toCsv(BOOKING_EXPORT_COLUMNS, rows);
      writeOutput(io, text, args.values.out as string | undefined);
    },
  },
];
