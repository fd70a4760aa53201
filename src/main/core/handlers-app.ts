// Handlers for app status, settings and secrets.
import { secretNames, type SecretName } from '../../shared/domain';
import type { SecretsStatus } from '../../shared/contract';
import { writeSettings } from '../db/queries/settings';
import { deleteSecretMeta, readSecretMeta, writeSecretMeta } from '../db/queries/secret-meta';
import { latestVersion } from '../db/migrations';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import type { HandlerMap } from './handlers';

export async function secretsStatus(ctx: CoreContext): Promise<SecretsStatus> {
  const meta = ctx.store.db ? readSecretMeta(ctx.store.db) : new Map();
  const entries = await Promise.all(
    secretNames.map(async (name) => {
      const configured = (await ctx.secrets.get(ctx.secretAccount(name))) !== null;
      const m = meta.get(name);
      return [
        name,
        {
          configured,
          account: configured ? (m?.account ?? null) : null,
          verifiedAt: configured ? (m?.verifiedAt ?? null) : null,
        },
      ] as const;
    }),
  );
  return Object.fromEntries(entries) as SecretsStatus;
}

/** Stores a secret in the keychain. Fails rather than keep a key the advisor thinks is saved. */
export async function storeSecret(
  ctx: CoreContext,
  name: SecretName,
  value: string,
): Promise<void> {
  await ctx.secrets.set(ctx.secretAccount(name), value);
  const keychain = ctx.secrets.status();
  if (!keychain.available && !ctx.sessionSecretsOk) {
    await ctx.secrets.delete(ctx.secretAccount(name));
    throw new CoreError(
      'keychain_unavailable',
      `Cannot store the ${name} secret: ${keychain.message ?? 'the keychain is unavailable.'}`,
    );
  }
  if (ctx.store.db)
    writeSecretMeta(
      ctx.store.db,
      name,
      { account: null, verifiedAt: null, ownEmails: [] },
      ctx.clock(),
    );
}

export const appHandlers = {
  'app:status': async (_input, ctx) => ({
    version: ctx.version,
    dataDir: ctx.dataDir,
    demo: ctx.profile.demo,
    db: {
      state: ctx.store.state,
      message: ctx.store.message,
      schemaVersion: ctx.store.db
        ? (ctx.store.db.pragma('user_version', { simple: true }) as number)
        : latestVersion,
    },
    keychain: ctx.secrets.status(),
    secrets: await secretsStatus(ctx),
  }),

  'settings:get': async (_input, ctx) => ctx.settings(),

  'settings:set': async (input, ctx) => {
    const settings = writeSettings(ctx.db(), input, ctx.clock());
    ctx.emit('app:changed', { reason: 'settings' });
    return settings;
  },

  'secrets:set': async (input, ctx) => {
    await storeSecret(ctx, input.name, input.value);
    ctx.emit('app:changed', { reason: 'secrets' });
    return secretsStatus(ctx);
  },

  // The host (src/main/host.ts) handles these; a bare core (the CLI) cannot switch data folders.
  'demo:start': async () => {
    throw new CoreError(
      'unknown_method',
      'The demo practice is started from the app window (or `cadence demo serve`).',
    );
  },
  'demo:exit': async () => {
    throw new CoreError('unknown_method', 'The demo practice is managed by the app window.');
  },
  'demo:reset': async () => {
    throw new CoreError('unknown_method', 'The demo practice is managed by the app window.');
  },

  'secrets:delete': async (input, ctx) => {
    await ctx.secrets.delete(ctx.secretAccount(input.name));
    if (ctx.store.db) deleteSecretMeta(ctx.store.db, input.name);
    ctx.emit('app:changed', { reason: 'secrets' });
    return secretsStatus(ctx);
  },
} satisfies Partial<HandlerMap>;
