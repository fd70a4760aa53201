// export changes, approve, reject, plan, push, undo, audit verify, export audit: the change plan,
// the outbox and the audit log for scripts and support, through the same code as the app. Decisions
// made here are recorded in the audit log with actor 'cli'.
//
// Test-only: CADENCE_TEST_LACRM_NET (JSON: timeoutMs, baseBackoffMs, maxRetries, retryDelayMs,
// requestsPerMinute) gives `cadence push` a short-timeout HttpClient so the fault-injection tests
// finish in seconds. Nothing else reads it; the product never sets it.
import { z } from 'zod';
import { ChangeSelector, type PushProgress } from '../../shared/contract-changes';
import { describeZodError } from '../../shared/result';
import { exportAudit, verifyAudit } from '../audit';
import type { Core } from '../core/core';
import { planNow } from '../pipeline/plan';
import { decide, iterateChanges, parseFields, type Decision } from '../plan/store';
import { pushServiceFor } from '../push/service';
import { proposeUndo } from '../push/undo';
import { Budgets, httpClientFor, type NetTuning } from '../sync/connectors';
import { CommandError, UsageError, type Command, type ParsedArgs } from './command';
import type { CliIo } from './io';
import { parseFormat, toCsv, writeOutput } from './output';

const ACTOR = 'cli';

/** The fields of `export changes`, in order: a public contract (add, never rename). */
export const CHANGE_EXPORT_COLUMNS = [
  'id',
  'kind',
  'contactId',
  'bookingSource',
  'bookingId',
  'state',
  'before',
  'after',
  'lacrmId',
  'error',
] as const;

const TestNet = z
  .object({
    timeoutMs: z.number().int().positive().optional(),
    baseBackoffMs: z.number().int().nonnegative().optional(),
    maxRetries: z.number().int().nonnegative().optional(),
    retryDelayMs: z.number().int().nonnegative().optional(),
    /** null: no client-side budget. */
    requestsPerMinute: z.number().positive().nullable().optional(),
  })
  .strict();

function testNet(env: NodeJS.ProcessEnv) {
  const raw = env.CADENCE_TEST_LACRM_NET;
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UsageError('CADENCE_TEST_LACRM_NET is not JSON');
  }
  const parsed = TestNet.safeParse(json);
  if (!parsed.success)
    throw new UsageError(`CADENCE_TEST_LACRM_NET: ${describeZodError(parsed.error)}`);
  const t = parsed.data;
  const tuning: NetTuning = {
    timeoutMs: t.timeoutMs,
    baseBackoffMs: t.baseBackoffMs,
    maxRetries: t.maxRetries,
    requestsPerMinute:
      t.requestsPerMinute === undefined ? undefined : { lacrm: t.requestsPerMinute ?? Infinity },
  };
  return {
    http: httpClientFor('lacrm', new Budgets(tuning), tuning),
    retryDelayMs: t.retryDelayMs,
  };
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
}

/** `--all` or a list of change ids, never both. */
function selectorFrom(args: ParsedArgs, usage: string): ChangeSelector {
  const all = args.values.all === true;
  if (all && args.positionals.length > 0)
    throw new UsageError(`give --all or change ids, not both (usage: cadence ${usage})`);
  if (all) return { all: true };
  if (args.positionals.length === 0)
    throw new UsageError(`give --all or one or more change ids (usage: cadence ${usage})`);
  const ids = args.positionals.map((text) => {
    if (!/^\d{1,12}$/.test(text) || Number(text) < 1)
      throw new UsageError(`ID must be a change id (a whole number), got "${text}"`);
    return Number(text);
  });
  const parsed = ChangeSelector.safeParse({ ids });
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, 'ids'));
  return parsed.data;
}

function decisionCommand(decision: Decision): Command {
  const verb = decision === 'approve' ? 'approve' : 'reject';
  const usage = `${verb} --all | ID…`;
  return {
    name: [verb],
    usage,
    summary:
      decision === 'approve'
        ? 'Approve proposed changes (--all), or these change ids (a failed one is approved again to retry). Nothing is written until `cadence push`.'
        : 'Reject proposed or approved changes (--all), or these change ids.',
    options: { all: { type: 'boolean' } },
    async run(args, { io, core }) {
      const selector = selectorFrom(args, usage);
      const c = await core();
      const result = decide(c.context.db(), decision, selector, {
        actor: ACTOR,
        nowIso: c.context.clock().toISOString(),
      });
      for (const skip of result.skipped) io.stderr(`Skipped: ${skip.reason}\n`);
      const done = decision === 'approve' ? 'Approved' : 'Rejected';
      io.stdout(`${done} ${plural(result.changed, 'change')}.\n`);
      if (result.changed === 0 && result.skipped.length > 0)
        throw new CommandError(`nothing to ${verb}`);
    },
  };
}

function progressLine(p: PushProgress): string {
  const counts = `${p.pushed} pushed, ${p.failed} failed`;
  switch (p.state) {
    case 'running':
      return p.waitMs
        ? `Waiting ${Math.ceil(p.waitMs / 1000)} s before trying again · ${p.done}/${p.total} · ${counts}`
        : `Pushing ${Math.min(p.done + 1, p.total)}/${p.total}${p.current ? ` · change ${p.current.changeId} ${p.current.kind}` : ''} · ${counts}`;
    case 'finished':
      return `Done · ${p.total} · ${counts}`;
    case 'cancelled':
      return `Cancelled · ${p.done}/${p.total} · ${counts}`;
    case 'failed':
    case 'interrupted':
      return `Stopped · ${p.done}/${p.total} · ${counts}${p.message ? ` · ${p.message}` : ''}`;
  }
}

async function push(io: CliIo, core: () => Promise<Core>): Promise<void> {
  const c = await core();
  c.context.db();
  const tuned = testNet(io.env);
  const service = pushServiceFor(c.context);
  let lastLine = '';
  let lastAt = 0;
  const onProgress = (p: PushProgress) => {
    const line = progressLine(p);
    const now = Date.now();
    // The end, and otherwise a line every half second at most.
    if (line === lastLine || (p.state === 'running' && lastAt > 0 && now - lastAt < 500)) return;
    lastLine = line;
    lastAt = now;
    io.stderr(`${line}\n`);
  };
  const onSignal = () => {
    io.stderr('Cancelling after the change in flight…\n');
    service.cancel();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcome = await service.push({
      actor: ACTOR,
      http: tuned?.http,
      retryDelayMs: tuned?.retryDelayMs,
      onProgress,
    });
    io.stdout(
      `Push #${outcome.batchId}: ${plural(outcome.pushed, 'change')} written to LACRM, ${outcome.failed} failed (of ${outcome.total}).\n`,
    );
    if (outcome.total === 0)
      io.stdout('Nothing was approved. Approve changes with `cadence approve`.\n');
    if (outcome.state !== 'finished' || outcome.failed > 0)
      throw new CommandError(
        outcome.message ??
          `push #${outcome.batchId} ${outcome.state === 'finished' ? 'had failures' : outcome.state}`,
      );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const changesCommands: Command[] = [
  {
    name: ['export', 'changes'],
    usage: 'export changes --format json|csv [--out FILE]',
    summary:
      'Every change Cadence proposed or wrote: id, kind, contactId, bookingSource, bookingId, state, before, after, lacrmId, error.',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(args, { io, core }) {
      noPositionals(args);
      const format = parseFormat(args.values.format);
      const c = await core();
      const rows: Record<string, unknown>[] = [];
      for (const batch of iterateChanges(c.context.db()))
        for (const row of batch)
          rows.push({
            id: row.id,
            kind: row.kind,
            contactId: row.contact_id,
            bookingSource: row.booking_source,
            bookingId: row.booking_source_id,
            state: row.state,
            before: parseFields(row.before_json),
            after: parseFields(row.after_json),
            lacrmId: row.lacrm_id,
            error: row.last_error,
          });
      const text =
        format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : toCsv(
              CHANGE_EXPORT_COLUMNS,
              rows.map((r) => ({
                ...r,
                before: JSON.stringify(r.before),
                after: JSON.stringify(r.after),
              })),
            );
      writeOutput(io, text, args.values.out as string | undefined);
    },
  },
  {
    name: ['plan'],
    usage: 'plan',
    summary: 'Recompute the proposed LACRM changes now (Sync now does this too).',
    async run(args, { io, core }) {
      noPositionals(args);
      const c = await core();
      c.context.db();
      const outcome = planNow(c.context, 'cli');
      if (!outcome) throw new CommandError('the database is not available');
      io.stdout(
        `${plural(outcome.proposed, 'new change')}, ${outcome.updated} updated, ${outcome.reproposed} proposed again, ${outcome.withdrawn} withdrawn, ${outcome.unchanged} unchanged.\n`,
      );
    },
  },
  decisionCommand('approve'),
  decisionCommand('reject'),
  {
    name: ['push'],
    usage: 'push',
    summary:
      'Write every approved change to LACRM, in order, exactly once. Progress on stderr; exit 1 if any failed (see `cadence export changes`).',
    async run(args, { io, core }) {
      noPositionals(args);
      await push(io, core);
    },
  },
  {
    name: ['undo'],
    usage: 'undo BATCH',
    summary:
      'Propose the changes that undo push BATCH (delete what it created, restore what it edited); approve and push them to apply.',
    async run(args, { io, core }) {
      if (args.positionals.length !== 1)
        throw new UsageError('expected 1 argument (usage: cadence undo BATCH)');
      const text = args.positionals[0]!;
      if (!/^\d{1,12}$/.test(text) || Number(text) < 1)
        throw new UsageError(`BATCH must be a push number, got "${text}"`);
      const c = await core();
      const outcome = proposeUndo(c.context.db(), Number(text), {
        actor: ACTOR,
        nowIso: c.context.clock().toISOString(),
      });
      for (const item of outcome.notUndoable)
        io.stderr(`Change ${item.changeId} is not undone: ${item.reason}\n`);
      if (outcome.changeIds.length === 0) {
        io.stdout(`Nothing in push #${outcome.batchId} can be undone.\n`);
        return;
      }
      io.stdout(
        `Proposed ${plural(outcome.changeIds.length, 'change')} to undo push #${outcome.batchId}: ${outcome.changeIds.join(' ')}\n` +
          `Approve them (cadence approve ${outcome.changeIds.join(' ')}) and run cadence push to apply.\n`,
      );
    },
  },
  {
    name: ['audit', 'verify'],
    usage: 'audit verify',
    summary:
      'Recompute the audit log’s hash chain; exit 1 naming the first entry that was changed, removed or inserted.',
    async run(args, { io, core }) {
      noPositionals(args);
      const c = await core();
      const verdict = verifyAudit(c.context.db());
      if (!verdict.ok)
        throw new CommandError(
          `the audit log does not verify: ${verdict.reason} (first bad entry: ${verdict.brokenAt}; ${verdict.entriesChecked} entries before it check out)`,
        );
      io.stdout(
        `The audit log verifies: ${verdict.entries.toLocaleString('en-US')} ${verdict.entries === 1 ? 'entry' : 'entries'}, head ${verdict.headHash}.\n`,
      );
    },
  },
  {
    name: ['export', 'audit'],
    usage: 'export audit [--out FILE]',
    summary:
      'The audit log as JSON Lines for an examiner: a header with the hash recipe, every entry, and the head hash.',
    options: { out: { type: 'string' } },
    async run(args, { io, core }) {
      noPositionals(args);
      const c = await core();
      const bytes = exportAudit(c.context.db(), { exportedAt: c.context.clock().toISOString() });
      writeOutput(io, bytes.toString('utf8'), args.values.out as string | undefined);
    },
  },
];
