// SecretStore: the one place that knows about the OS keychain (keytar, service "Cadence"). If the
// keychain cannot be reached, secrets are kept in memory for this session only and the status says
// why; nothing is ever written to disk in plaintext.
import { createLogger } from '../log';

const log = createLogger('secrets');

export type KeychainStatus = Readonly<{ available: boolean; message: string | null }>;

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  status(): KeychainStatus;
  /** Checks the keychain once up front, so status() is known before a secret is needed. */
  probe?(): Promise<KeychainStatus>;
}

/** The subset of keytar the store needs; an injectable seam for other keychain bindings. */
export type KeychainBackend = Readonly<{
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}>;

export const KEYCHAIN_SERVICE = 'Cadence';

const UNAVAILABLE_HINT =
  'Secrets are kept for this session only and will be asked for again next time. On Linux, install and unlock a Secret Service keyring (GNOME Keyring or KWallet).';

export class KeychainSecretStore implements SecretStore {
  private readonly session = new Map<string, string>();
  private unavailable: string | null = null;
  private backend: Promise<KeychainBackend> | null = null;

  constructor(
    private readonly options: Readonly<{
      service?: string;
      loadBackend?: () => Promise<KeychainBackend>;
    }> = {},
  ) {}

  status(): KeychainStatus {
    return this.unavailable === null
      ? { available: true, message: null }
      : { available: false, message: this.unavailable };
  }

  /** Checks the keychain with a harmless read, so the status is known before a secret is needed. */
  async probe(): Promise<KeychainStatus> {
    await this.withKeychain((k) => k.getPassword(this.service, '__probe__'), null);
    return this.status();
  }

  async get(account: string): Promise<string | null> {
    const fromKeychain = await this.withKeychain((k) => k.getPassword(this.service, account), null);
    return fromKeychain ?? this.session.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    const stored = await this.withKeychain(async (k) => {
      await k.setPassword(this.service, account, value);
      return true;
    }, false);
    if (stored) this.session.delete(account);
    else this.session.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    const inSession = this.session.delete(account);
    const inKeychain = await this.withKeychain(
      (k) => k.deletePassword(this.service, account),
      false,
    );
    return inSession || inKeychain;
  }

  private get service(): string {
    return this.options.service ?? KEYCHAIN_SERVICE;
  }

  private async withKeychain<T>(op: (k: KeychainBackend) => Promise<T>, fallback: T): Promise<T> {
    if (this.unavailable !== null) return fallback;
    try {
      this.backend ??= (this.options.loadBackend ?? loadKeytar)();
      return await op(await this.backend);
    } catch (error) {
      this.unavailable = `The system keychain is unavailable (${describe(error)}). ${UNAVAILABLE_HINT}`;
      log.warn(`keychain unavailable: ${describe(error)}`);
      return fallback;
    }
  }
}

async function loadKeytar(): Promise<KeychainBackend> {
  const mod = (await import('keytar')) as unknown as KeychainBackend & {
    default?: KeychainBackend;
  };
  return mod.default ?? mod;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}

/** A store that never touches the keychain: for tests of code that only needs somewhere to keep keys. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(account: string) {
    return this.values.get(account) ?? null;
  }
  async set(account: string, value: string) {
    this.values.set(account, value);
  }
  async delete(account: string) {
    return this.values.delete(account);
  }
  status(): KeychainStatus {
    return { available: false, message: 'In-memory secrets (tests and demo only).' };
  }
}
