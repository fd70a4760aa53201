// Handlers for real-time updates: the receiver, delivery health, the Cal.com secret to paste and
// Calendly subscriptions.
import { writeSettings } from '../db/queries/settings';
import { describeSyncError } from '../sync/errors';
import { baseUrlFor } from '../sync/connectors';
import {
  CalendlySubscriptionError,
  createCalendlySubscription,
  deleteCalendlySubscription,
  listCalendlySubscriptions,
  type CalendlySubscriptionInfo,
} from '../webhooks/calendly-subscriptions';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import type { HandlerMap } from './handlers';

async function calendlyOptions(ctx: CoreContext) {
  const apiKey = await ctx.secrets.get(ctx.secretAccount('calendly'));
  if (!apiKey)
    throw new CoreError('secret_missing', 'Connect Calendly first (Settings → Sources).');
  return {
    http: ctx.sync.httpFor('calendly'),
    baseUrl: baseUrlFor('calendly', ctx.settings()),
    apiKey,
  };
}

async function calendly<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CoreError) throw error;
    if (error instanceof CalendlySubscriptionError)
      throw new CoreError('remote_error', error.message);
    if (error instanceof TypeError) throw new CoreError('invalid_input', error.message);
    const described = describeSyncError(error);
    throw new CoreError(described.code, described.message);
  }
}

const toContract = (s: CalendlySubscriptionInfo) => ({
  uri: s.uri,
  callbackUrl: s.callbackUrl,
  state: s.state,
  events: [...s.events],
  createdAt: s.createdAt,
  retryStartedAt: s.retryStartedAt,
});

export const webhookHandlers = {
  'webhooks:status': async (_input, ctx) => ctx.webhooks.status(),

  'webhooks:configure': async (input, ctx) => {
    writeSettings(
      ctx.db(),
      { 'webhooks.enabled': input.enabled, ...(input.port ? { 'webhooks.port': input.port } : {}) },
      ctx.clock(),
    );
    await ctx.webhooks.apply();
    ctx.emit('app:changed', { reason: 'webhooks' });
    return ctx.webhooks.status();
  },

  'webhooks:newCalcomSecret': async (_input, ctx) => {
    const secret = await ctx.webhooks.newCalcomSecret();
    if (!ctx.secrets.status().available && !ctx.sessionSecretsOk) {
      throw new CoreError(
        'keychain_unavailable',
        ctx.secrets.status().message ?? 'The keychain is unavailable.',
      );
    }
    ctx.emit('app:changed', { reason: 'secrets' });
    return { secret, route: '/webhooks/calcom' };
  },

  'webhooks:calendlyList': async (_input, ctx) =>
    calendly(async () =>
      (
        await listCalendlySubscriptions(await calendlyOptions(ctx), AbortSignal.timeout(60_000))
      ).map(toContract),
    ),

  'webhooks:calendlySubscribe': async (input, ctx) =>
    calendly(async () => {
      const created = await createCalendlySubscription(await calendlyOptions(ctx), {
        url: input.url,
        signal: AbortSignal.timeout(60_000),
      });
      await ctx.secrets.set(ctx.secretAccount('calendly-webhook'), created.signingKey);
      if (!ctx.secrets.status().available && !ctx.sessionSecretsOk) {
        await deleteCalendlySubscription(
          await calendlyOptions(ctx),
          created.subscription.uri,
          AbortSignal.timeout(60_000),
        ).catch(() => undefined);
        throw new CoreError(
          'keychain_unavailable',
          'The signing key could not be kept in the keychain, so the subscription was removed again.',
        );
      }
      ctx.emit('app:changed', { reason: 'webhooks' });
      return toContract(created.subscription);
    }),

  'webhooks:calendlyDelete': async (input, ctx) =>
    calendly(async () => {
      const deleted = await deleteCalendlySubscription(
        await calendlyOptions(ctx),
        input.uri,
        AbortSignal.timeout(60_000),
      );
      ctx.emit('app:changed', { reason: 'webhooks' });
      return { deleted };
    }),
} satisfies Partial<HandlerMap>;
