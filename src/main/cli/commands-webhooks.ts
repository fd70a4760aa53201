// serve (the webhook receiver, headless), webhooks status, and the Calendly subscription helpers.
// Webhook secrets are set with `cadence secrets set calcom-webhook` / `calendly-webhook`, and the
// port with `cadence config set webhooks.port N`.
import { z } from 'zod';
import type { Core } from '../core/core';
import { bookingSources, sourceLabels } from '../../shared/domain';
import { describeZodError } from '../../shared/result';
import { baseUrlFor } from '../sync/connectors';
import {
  CalendlySubscriptionError,
  createCalendlySubscription,
  deleteCalendlySubscription,
  listCalendlySubscriptions,
  type CalendlySubscriptionsOptions,
} from '../webhooks/calendly-subscriptions';
import { deliveryHealth, hasWebhookTables, type SourceDeliveryHealth } from '../webhooks/health';
import { startWebhookReceiver, WEBHOOK_ROUTES, type WebhookReceiver } from '../webhooks/receiver';
import { pipelineRuntime } from '../webhooks/service';
import type { SyncStepDone, SyncStepFailed } from '../../shared/contract';
import type { MatchStopped } from '../../shared/contract-match';
import { matchingText } from '../../shared/match-progress';
import { stepDoneAgainLine, stepFailedLine } from '../../shared/sync-steps';
import type { WebhookSource } from '../webhooks/types';
import {
  CommandError,
  UsageError,
  type Command,
  type CommandContext,
  type ParsedArgs,
} from './command';

/** 0 asks for any free port; otherwise the same range as the webhooks.port setting. */
export const PortArg = z
  .string()
  .trim()
  .regex(/^\d{1,5}$/, 'must be a whole number')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .refine((p) => p === 0 || (p >= 1024 && p <= 65535), 'must be 0 or between 1024 and 65535'),
  );

const SUBSCRIPTION_URI =
  /^https:\/\/[A-Za-z0-9.-]+(?::\d+)?\/webhook_subscriptions\/[A-Za-z0-9_-]{1,100}$/;

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0)
    throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
}

function parsePort(value: unknown): number | null {
  if (value === undefined) return null;
  const parsed = PortArg.safeParse(value);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, '--port'));
  return parsed.data;
}

function instructions(receiver: WebhookReceiver): string {
  return [
    `Cadence webhook receiver listening on ${receiver.url} (this computer only).`,
    `  Cal.com:   ${receiver.url}${WEBHOOK_ROUTES.calcom}`,
    `  Calendly:  ${receiver.url}${WEBHOOK_ROUTES.calendly}`,
    '',
    `Point a tunnel of your own at ${receiver.url}, then:`,
    `  Cal.com:   Settings → Developer → Webhooks → New: Subscriber URL https://<your-tunnel>${WEBHOOK_ROUTES.calcom},`,
    '             the same secret you gave `cadence secrets set calcom-webhook`, no custom payload template.',
    `  Calendly:  cadence webhooks calendly subscribe https://<your-tunnel>${WEBHOOK_ROUTES.calendly}`,
    'Webhooks only prompt a re-fetch; the regular sync stays the source of truth.',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/** The serve command's body, stoppable by `stop` (the command wires SIGINT/SIGTERM to it). */
export async function runServe(
  args: ParsedArgs,
  { io, core }: CommandContext,
  stop: AbortSignal,
): Promise<void> {
  noPositionals(args);
  const portArg = parsePort(args.values.port);
  const c = await core();
  const { context } = c;
  context.db(); // the store must be open: fails with a clear error otherwise
  const port = portArg ?? context.settings()['webhooks.port'];
  const secretOf = (source: WebhookSource) => () =>
    context.secrets.get(context.secretAccount(`${source}-webhook`));
  // Stored bookings go through the same stages as after a sync (match → classify → plan).
  const runtime = pipelineRuntime(context, (line) => io.stderr(`webhooks: ${line}\n`));
  if (!runtime.recording)
    io.stderr(
      'webhooks: delivery health is not recorded: this database has no webhook tables yet (migration 0060).\n',
    );
  for (const source of ['calcom', 'calendly'] as const) {
    if ((await secretOf(source)()) === null)
      io.stderr(
        `webhooks: no ${source}-webhook secret is set, so ${sourceLabels[source]} deliveries will be refused (cadence secrets set ${source}-webhook).\n`,
      );
  }
  if (stop.aborted) return;
  let receiver: WebhookReceiver;
  try {
    receiver = await startWebhookReceiver({
      port,
      host: '127.0.0.1',
      secrets: { calcom: secretOf('calcom'), calendly: secretOf('calendly') },
      onHint: runtime.onHint,
      onDelivery: runtime.onDelivery,
      now: context.clock,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new CommandError(
        `port ${port} is not available (${code}); choose another with --port N or \`cadence config set webhooks.port N\``,
      );
    throw error;
  }
  io.stdout(instructions(receiver));
  // A step after a delivered booking that fails (the matching, categories, the changes for
  // LACRM) is said too, and so is the next run of that step that goes through.
  const failedSteps = new Set<SyncStepDone['step']>();
  const off = c.subscribe((event, payload) => {
    if (event === 'sync:step-failed') {
      const failed = payload as SyncStepFailed;
      failedSteps.add(failed.step);
      io.stderr(`webhooks: ${stepFailedLine(failed)}\n`);
    } else if (event === 'match:stopped') {
      const stopped = payload as MatchStopped;
      if (stopped.state === 'failed') failedSteps.add('matching');
      io.stderr(`webhooks: ${matchingText(null, stopped)}\n`);
    } else if (event === 'sync:step-done') {
      const done = payload as SyncStepDone;
      if (failedSteps.delete(done.step)) io.stderr(`webhooks: ${stepDoneAgainLine(done)}\n`);
    }
  });
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener('abort', () => resolve(), { once: true });
  });
  io.stderr('webhooks: stopping…\n');
  await receiver.close();
  await runtime.idle();
  off();
  io.stderr('webhooks: stopped.\n');
}

function formatHealth(h: SourceDeliveryHealth): string[] {
  const lines = [`${sourceLabels[h.source]}:`];
  if (!h.supportsWebhooks) {
    lines.push('  no webhooks (this service has none): the sync is the only source');
  } else {
    lines.push(`  last delivery:       ${h.lastDeliveryAt ?? 'never'}`);
    lines.push(`  last 24 hours:       ${h.deliveries24h} delivered, ${h.rejected24h} refused`);
    if (h.failedHints24h > 0)
      lines.push(`  re-fetches failed:   ${h.failedHints24h} (the next sync catches up)`);
    if (h.changesWithoutWebhook !== null)
      lines.push(
        `  last sync found:     ${h.changesFoundByLastSync ?? 0} change(s), ${h.changesWithoutWebhook} arrived without a webhook`,
      );
  }
  lines.push(`  verified through:    ${h.verifiedThrough ?? 'no successful sync yet'}`);
  return lines;
}

function calendlyOptions(c: Core, key: string): CalendlySubscriptionsOptions {
  return {
    http: c.context.sync.httpFor('calendly'),
    baseUrl: baseUrlFor('calendly', c.context.settings()),
    apiKey: key,
  };
}

async function calendlyKey(c: Core): Promise<string> {
  const key = await c.context.secrets.get(c.context.secretAccount('calendly'));
  if (!key)
    throw new CommandError(
      'No Calendly key is set. Add it first with `cadence secrets set calendly`.',
    );
  return key;
}

function describeFailure(error: unknown): never {
  if (error instanceof CalendlySubscriptionError || error instanceof TypeError)
    throw new CommandError(error.message);
  throw error;
}

export const webhookCommands: Command[] = [
  {
    name: ['serve'],
    usage: 'serve [--port N]',
    summary:
      'Run the webhook receiver on 127.0.0.1 (port from webhooks.port unless --port is given) until Ctrl+C; each delivery is logged on stderr.',
    options: { port: { type: 'string' } },
    async run(args, ctx) {
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runServe(args, ctx, controller.signal);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  },
  {
    name: ['webhooks', 'status'],
    usage: 'webhooks status [--json]',
    summary:
      'Delivery health per source: last delivery, deliveries and refusals in 24 h, changes the last sync found without a webhook, verified-through time.',
    options: { json: { type: 'boolean' } },
    async run(args, { io, core }) {
      noPositionals(args);
      const c = await core();
      const db = c.context.db();
      if (!hasWebhookTables(db))
        throw new CommandError('This database has no webhook tables yet (migration 0060).');
      const health = deliveryHealth(db, c.context.clock());
      if (args.values.json) {
        io.stdout(`${JSON.stringify(health, null, 2)}\n`);
        return;
      }
      io.stdout(`${bookingSources.flatMap((s) => formatHealth(health[s])).join('\n')}\n`);
    },
  },
  {
    name: ['webhooks', 'calendly', 'subscribe'],
    usage: 'webhooks calendly subscribe URL',
    summary:
      'Create a Calendly webhook subscription for URL (your tunnel to the receiver) and keep its new signing key in the keychain as calendly-webhook.',
    async run(args, { io, core }) {
      if (args.positionals.length !== 1) throw new UsageError('give exactly one URL');
      const c = await core();
      if (!c.context.secrets.status().available)
        throw new CommandError(
          `The signing key could not be kept: ${c.context.secrets.status().message ?? 'the keychain is unavailable'}`,
        );
      const options = calendlyOptions(c, await calendlyKey(c));
      const signal = AbortSignal.timeout(60_000);
      const created = await createCalendlySubscription(options, {
        url: args.positionals[0]!,
        signal,
      }).catch(describeFailure);
      try {
        await c.call('secrets:set', { name: 'calendly-webhook', value: created.signingKey });
      } catch (error) {
        // A subscription whose key is lost can never be verified: take it back.
        await deleteCalendlySubscription(options, created.subscription.uri, signal).catch(
          () => false,
        );
        throw error;
      }
      io.stdout(`${created.subscription.uri}\n`);
      io.stderr(
        `Subscribed ${created.subscription.callbackUrl} to ${created.subscription.events.join(', ')}; the signing key is in the keychain as calendly-webhook.\n`,
      );
    },
  },
  {
    name: ['webhooks', 'calendly', 'list'],
    usage: 'webhooks calendly list [--json]',
    summary:
      'List your Calendly webhook subscriptions with their state (a disabled one must be deleted and created again).',
    options: { json: { type: 'boolean' } },
    async run(args, { io, core }) {
      noPositionals(args);
      const c = await core();
      const list = await listCalendlySubscriptions(
        calendlyOptions(c, await calendlyKey(c)),
        AbortSignal.timeout(60_000),
      );
      if (args.values.json) {
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) io.stderr('No Calendly webhook subscriptions.\n');
      for (const s of list) {
        const retry = s.retryStartedAt ? `, failing since ${s.retryStartedAt}` : '';
        io.stdout(`${s.state}${retry}  ${s.callbackUrl}  ${s.uri}\n`);
      }
    },
  },
  {
    name: ['webhooks', 'calendly', 'delete'],
    usage: 'webhooks calendly delete URI',
    summary: 'Delete one Calendly webhook subscription (its URI from `webhooks calendly list`).',
    async run(args, { io, core }) {
      if (args.positionals.length !== 1) throw new UsageError('give exactly one subscription URI');
      const uri = args.positionals[0]!;
      if (!SUBSCRIPTION_URI.test(uri))
        throw new UsageError(
          'URI must be a Calendly webhook subscription URI (https://…/webhook_subscriptions/…)',
        );
      const c = await core();
      const removed = await deleteCalendlySubscription(
        calendlyOptions(c, await calendlyKey(c)),
        uri,
        AbortSignal.timeout(60_000),
      );
      if (!removed) throw new CommandError('Calendly has no such subscription.');
      io.stderr('Deleted the Calendly webhook subscription.\n');
    },
  },
];
