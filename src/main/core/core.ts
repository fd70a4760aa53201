// createCore: the application behind every front door (Electron IPC, the CLI, the loopback bridge).
// It owns the data folder, validates every input against the contract, and answers with results.
import { mkdirSync } from 'node:fs';
import {
  contract,
  isMethod,
  type EventName,
  type EventPayload,
  type InputOf,
  type Method,
  type OutputOf,
} from '../../shared/contract';
import type { SecretName } from '../../shared/domain';
import { describeZodError, fail, ok, type Result } from '../../shared/result';
import { defaultSettings, type Settings } from '../../shared/settings';
import { readSettings } from '../db/queries/settings';
import { DATABASE_BUSY_MESSAGE, isDatabaseBusy } from '../db/transactions';
import { createLogger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import { APP_VERSION } from '../version';
import type { Clock, CoreContext } from './context';
import { CoreError } from './errors';
import type { Handler, HandlerMap } from './handlers';
import { appHandlers } from './handlers-app';
import { syncHandlers } from './handlers-sync';
import { matchHandlers } from './handlers-match';
import { metricsHandlers } from './handlers-metrics';
import { changesHandlers } from './handlers-changes';
import { webhookHandlers } from './handlers-webhooks';
import { WebhookService } from '../webhooks/service';
import { registerPipeline } from '../pipeline';
import { SyncService } from '../sync/service';
import type { NetTuning } from '../sync/connectors';
import { readOrCreateProfile } from './profile';
import { openStore } from './store';

const log = createLogger('core');

export type CoreOptions = Readonly<{
  dataDir: string;
  secrets: SecretStore;
  clock?: Clock;
  /** better_sqlite3.node for the running runtime, when it is not the one in node_modules. */
  nativeBinding?: string;
  /**
   * Whether a secret may be kept for this session only when the keychain is unavailable (the app
   * can ask again next time). The CLI says no: a key it cannot keep is an error there.
   */
  sessionSecretsOk?: boolean;
  /** Network tuning for tests and benchmarks (rate budgets, timeouts, backoff). */
  net?: NetTuning;
  /** Run the webhook receiver when the advisor has switched it on (the app; not the CLI or tests). */
  receiver?: boolean;
}>;

export type CoreListener = (event: EventName, payload: unknown) => void;

export interface Core {
  readonly context: CoreContext;
  /** Validates input against the contract, runs the handler, and never throws. */
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Typed call for in-process front doors (CLI); throws CoreError on failure. */
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  subscribe(listener: CoreListener): () => void;
  close(): void;
}

const handlers: HandlerMap = {
  ...appHandlers,
  ...syncHandlers,
  ...matchHandlers,
  ...metricsHandlers,
  ...changesHandlers,
  ...webhookHandlers,
};

const dbStateCodes = {
  wrong_key: 'db_wrong_key',
  corrupt: 'db_corrupt',
  from_future: 'db_from_future',
  key_missing: 'db_key_missing',
} as const;

export async function createCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? (() => new Date());
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const profile = readOrCreateProfile(options.dataDir, clock());
  await options.secrets.probe?.();
  const store = await openStore({
    dataDir: options.dataDir,
    profile,
    secrets: options.secrets,
    nativeBinding: options.nativeBinding,
  });
  const listeners = new Set<CoreListener>();

  let sync: SyncService | null = null;
  let webhooks: WebhookService | null = null;
  const context: CoreContext = {
    dataDir: options.dataDir,
    profile,
    secrets: options.secrets,
    clock,
    version: APP_VERSION,
    store,
    sessionSecretsOk: options.sessionSecretsOk ?? false,
    db() {
      if (store.db) return store.db;
      const code =
        store.state === 'open' || store.state === 'memory'
          ? 'db_unavailable'
          : dbStateCodes[store.state];
      throw new CoreError(code, store.message ?? 'The database is not available.');
    },
    settings(): Settings {
      return store.db ? readSettings(store.db) : defaultSettings();
    },
    secretAccount(name: SecretName) {
      return `${profile.profileId}:${name}`;
    },
    get sync(): SyncService {
      sync ??= new SyncService(context, options.net);
      return sync;
    },
    get webhooks(): WebhookService {
      webhooks ??= new WebhookService(context);
      return webhooks;
    },
    extensions: {},
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners) {
        try {
          listener(event, payload);
        } catch (error) {
          log.warn(`listener for ${event} failed: ${(error as Error).message}`);
        }
      }
    },
  };

  registerPipeline(context);
  void context.webhooks; // registers its sync extension (delivery health findings)
  if (options.receiver) await context.webhooks.apply();

  async function invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) return fail('unknown_method', `There is no method named "${method}".`);
    const spec = contract[method];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return fail('invalid_input', `${method}: ${describeZodError(parsed.error, 'input')}`);
    }
    try {
      const handler = handlers[method] as Handler<Method>;
      const value = await handler(parsed.data as never, context);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error(
          `${method}: output does not match the contract: ${describeZodError(checked.error)}`,
        );
        return fail('internal', `${method} produced an unexpected result.`);
      }
      return ok(checked.data);
    } catch (error) {
      if (error instanceof CoreError) return fail(error.code, error.message);
      if (isDatabaseBusy(error)) {
        log.warn(`${method}: ${(error as Error).message}`);
        return fail('busy', DATABASE_BUSY_MESSAGE);
      }
      log.error(`${method}: ${(error as Error).stack ?? String(error)}`);
      return fail('internal', `${method} failed: ${(error as Error).message}`);
    }
  }

  return {
    context,
    invoke,
    async call(method, input) {
      const result = await invoke(method, input);
      if (!result.ok) throw new CoreError(result.error.code, result.error.message);
      return result.value as never;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      sync?.close();
      void webhooks?.stop();
      listeners.clear();
      store.db?.close();
    },
  };
}
