// Handlers for sources (connect, verify, disconnect), Sync now, and bookings.
import { sourceLabels, syncSources, type SyncSource } from '../../shared/domain';
import type { SourceAccount } from '../../shared/contract';
import { deleteSecretMeta, readSecretMeta } from '../db/queries/secret-meta';
import { getBooking, listBookings } from '../db/queries/bookings-read';
import { baseUrlFor } from '../sync/connectors';
import { describeSyncError } from '../sync/errors';
import { clearKeyRefused, readKeyRefused, recordKeyRefused } from '../sync/key-refusals';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import type { HandlerMap } from './handlers';

export async function sourceAccount(ctx: CoreContext, source: SyncSource): Promise<SourceAccount> {
  const configured = (await ctx.secrets.get(ctx.secretAccount(source))) !== null;
  const meta = ctx.store.db ? readSecretMeta(ctx.store.db).get(source) : undefined;
  return {
    source,
    configured,
    account: configured ? (meta?.account ?? null) : null,
    verifiedAt: configured ? (meta?.verifiedAt ?? null) : null,
    baseUrl: baseUrlFor(source, ctx.settings()),
    keyRefused: configured && ctx.store.db ? readKeyRefused(ctx.store.db, source) : null,
  };
}

async function verifyKey(ctx: CoreContext, source: SyncSource, key: string) {
  const signal = AbortSignal.timeout(60_000);
  try {
    if (source === 'lacrm') {
      const verify = ctx.extensions.verifyLacrm;
      if (!verify)
        throw new CoreError('internal', 'Less Annoying CRM is not available in this version.');
      return await verify(key, signal);
    }
    return await ctx.sync.verify(source, key, signal);
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const described = describeSyncError(error);
    throw new CoreError(
      described.code === 'cancelled' ? 'network' : described.code,
      described.message,
    );
  }
}

export const syncHandlers = {
  'sources:list': async (_input, ctx) => Promise.all(syncSources.map((s) => sourceAccount(ctx, s))),

  'sources:connect': async (input, ctx) => {
    const verified = await verifyKey(ctx, input.source, input.key);
    await ctx.secrets.set(ctx.secretAccount(input.source), input.key);
    if (!ctx.secrets.status().available && !ctx.sessionSecretsOk) {
      await ctx.secrets.delete(ctx.secretAccount(input.source));
      throw new CoreError(
        'keychain_unavailable',
        `Cannot store the ${sourceLabels[input.source]} key: ${ctx.secrets.status().message ?? ''}`,
      );
    }
    ctx.sync.recordVerified(input.source, verified);
    ctx.emit('app:changed', { reason: 'sources' });
    return sourceAccount(ctx, input.source);
  },

  'sources:verify': async (input, ctx) => {
    const key = await ctx.secrets.get(ctx.secretAccount(input.source));
    if (!key) throw new CoreError('secret_missing', `No ${sourceLabels[input.source]} key is set.`);
    let verified;
    try {
      verified = await verifyKey(ctx, input.source, key);
    } catch (error) {
      // The stored key itself was refused: the source row says so until a key works again.
      if (error instanceof CoreError && error.code === 'auth_failed') {
        recordKeyRefused(ctx.db(), input.source, error.message, ctx.clock());
        ctx.emit('app:changed', { reason: 'sources' });
      }
      throw error;
    }
    ctx.sync.recordVerified(input.source, verified);
    ctx.emit('app:changed', { reason: 'sources' });
    return sourceAccount(ctx, input.source);
  },

  'sources:disconnect': async (input, ctx) => {
    await ctx.secrets.delete(ctx.secretAccount(input.source));
    deleteSecretMeta(ctx.db(), input.source);
    clearKeyRefused(ctx.db(), input.source);
    ctx.emit('app:changed', { reason: 'sources' });
    return sourceAccount(ctx, input.source);
  },

  'sync:run': async (input, ctx) => ctx.sync.run({ sources: input.sources, mode: input.mode }),

  'sync:cancel': async (_input, ctx) => ({ cancelled: ctx.sync.cancel() }),

  'sync:status': async (_input, ctx) => ctx.sync.status(),

  'bookings:list': async (input, ctx) =>
    listBookings(ctx.db(), { ...input, now: ctx.clock(), zone: ctx.settings()['review.timezone'] }),

  'bookings:get': async (input, ctx) => {
    const booking = getBooking(ctx.db(), input.id, ctx.clock());
    if (!booking) throw new CoreError('not_found', `There is no booking ${input.id}.`);
    return booking;
  },
} satisfies Partial<HandlerMap>;
