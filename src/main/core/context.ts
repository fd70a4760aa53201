// What every handler can reach: the data folder, the store, secrets, settings, the clock and the
// event channel. Handlers never see Electron; the same context serves IPC, the CLI and the bridge.
import type { EventName, EventPayload } from '../../shared/contract';
import type { SecretName } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import type { Db } from '../db/open';
import type { SecretStore } from '../secrets/secret-store';
import type { Verified } from '../sources/connector';
import type { SyncService } from '../sync/service';
import type { WebhookService } from '../webhooks/service';
import type { Profile } from './profile';
import type { StoreState } from './store';

export type Clock = () => Date;

export interface CoreContext {
  readonly dataDir: string;
  readonly profile: Profile;
  readonly secrets: SecretStore;
  readonly clock: Clock;
  readonly version: string;
  readonly store: StoreState;
  /** Whether secrets may live in memory for this session when the keychain is unavailable. */
  readonly sessionSecretsOk: boolean;
  /** The open database, or a CoreError saying why there is none. */
  db(): Db;
  settings(): Settings;
  /** Keychain account for one of the advisor's secrets, scoped to this data folder. */
  secretAccount(name: SecretName): string;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Sync now: sources, progress, cancel. */
  readonly sync: SyncService;
  /** The local webhook receiver (real-time updates). */
  readonly webhooks: WebhookService;
  /** Capabilities later stages plug in. */
  readonly extensions: CoreExtensions;
}

export type CoreExtensions = {
  /** Verifies an LACRM key with a real call (the CRM stage provides it). */
  verifyLacrm?: (apiKey: string, signal: AbortSignal) => Promise<Verified>;
};
