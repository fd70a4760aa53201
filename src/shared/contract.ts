// The one IPC contract: every method the renderer can call, once, with zod schemas for its input and
// output, and every event main can push. Main registers handlers from it, the preload derives
// `window.cadence` from it, and the loopback bridge serves the same shape. Adding a method is one
// entry here plus its handler in src/main/core.
import { z } from 'zod';
import { SecretName } from './domain';
import type { Result } from './result';
import { Settings, SettingsPatch } from './settings';

/** Methods without arguments take an empty object (or nothing). */
export const Empty = z.object({}).strict().optional().default({});

export const DbState = z.enum([
  'open', // encrypted file on disk, ready
  'memory', // keychain unavailable: an in-memory store for this session only
  'wrong_key',
  'corrupt',
  'from_future',
  'key_missing',
]);
export type DbState = z.infer<typeof DbState>;

export const SecretStatus = z.object({
  configured: z.boolean(),
  /** Account name the service reported when the key was last verified, if any. */
  account: z.string().nullable(),
  verifiedAt: z.string().nullable(),
});
export type SecretStatus = z.infer<typeof SecretStatus>;

export const SecretsStatus = z.object({
  calcom: SecretStatus,
  calendly: SecretStatus,
  tidycal: SecretStatus,
  lacrm: SecretStatus,
  'calcom-webhook': SecretStatus,
  'calendly-webhook': SecretStatus,
});
export type SecretsStatus = z.infer<typeof SecretsStatus>;

export const KeychainStatus = z.object({
  available: z.boolean(),
  /** Why the keychain cannot be used, in words an advisor can act on. */
  message: z.string().nullable(),
});

export const AppStatus = z.object({
  version: z.string(),
  dataDir: z.string(),
  demo: z.boolean(),
  db: z.object({
    state: DbState,
    message: z.string().nullable(),
    schemaVersion: z.number().int(),
  }),
  keychain: KeychainStatus,
  secrets: SecretsStatus,
});
export type AppStatus = z.infer<typeof AppStatus>;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output } as const;
}

export const contract = {
  'app:status': method(Empty, AppStatus),
  'settings:get': method(Empty, Settings),
  'settings:set': method(SettingsPatch.strict(), Settings),
  'secrets:set': method(
    z.object({ name: SecretName, value: z.string().trim().min(1).max(8192) }).strict(),
    SecretsStatus,
  ),
  'secrets:delete': method(z.object({ name: SecretName }).strict(), SecretsStatus),
} as const;

/** Pushes from main to the renderer, named `domain:changed` or `domain:progress`. */
export const events = {
  'app:changed': z.object({ reason: z.string() }),
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type InputOf<M extends Method> = z.input<Contract[M]['input']>;
export type ParsedInputOf<M extends Method> = z.output<Contract[M]['input']>;
export type OutputOf<M extends Method> = z.output<Contract[M]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(contract) as Method[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

type DomainOf<M extends string> = M extends `${infer D}:${string}` ? D : never;

type Call<M extends Method> =
  Record<string, never> extends InputOf<M>
    ? (input?: InputOf<M>) => Promise<Result<OutputOf<M>>>
    : (input: InputOf<M>) => Promise<Result<OutputOf<M>>>;

/** The shape of `window.cadence`: `cadence.settings.get()`, `cadence.on('app:changed', fn)`. */
export type CadenceApi = {
  [D in DomainOf<Method>]: {
    [M in Method as M extends `${D}:${infer V}` ? V : never]: Call<M>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type Invoke = (method: Method, input: unknown) => Promise<Result<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** Builds the nested `cadence.domain.verb(input)` object from a transport; used by the preload. */
export function buildApi(invoke: Invoke, subscribe: Subscribe): CadenceApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of methodNames) {
    const [domain, verb] = name.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][verb] = (input?: unknown) => invoke(name, input ?? {});
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => subscribe(event, listener);
  return Object.freeze({ ...api, on }) as unknown as CadenceApi;
}
