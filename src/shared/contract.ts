// The one IPC contract: every method the renderer can call, once, with zod schemas for its input and
// output, and every event main can push. Main registers handlers from it, the preload derives
// `window.cadence` from it, and the loopback bridge serves the same shape. Adding a method is one
// entry here plus its handler in src/main/core.
import { z } from 'zod';
import { BookingSource, BookingStatus, SecretName, SyncSource } from './domain';
import type { Result } from './result';
import { Settings, SettingsPatch } from './settings';
import { matchEvents, matchMethods } from './contract-match';
import { metricsEvents, metricsMethods } from './contract-metrics';
import { changesEvents, changesMethods } from './contract-changes';
import { webhookEvents, webhookMethods } from './contract-webhooks';

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

export const RunError = z.object({ code: z.string(), message: z.string() });

export const SourceProgress = z.object({
  runId: z.number().int(),
  source: SyncSource,
  state: z.enum(['running', 'waiting', 'ok', 'failed', 'cancelled']),
  page: z.number().int(),
  pagesTotal: z.number().int().nullable(),
  waitMs: z.number().nullable(),
  /**
   * Why a 'waiting' source waits: the rate limit, or a pause before trying again after a server
   * error, a timeout or a dropped connection. Absent when not said (older cores, other steps).
   */
  waitReason: z.enum(['rate_limit', 'retry']).optional(),
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  requests: z.number().int(),
  waitedMs: z.number(),
  error: RunError.nullable(),
});
export type SourceProgress = z.infer<typeof SourceProgress>;

export const LastRun = z.object({
  id: z.number().int(),
  source: SyncSource,
  state: z.enum(['running', 'ok', 'failed', 'cancelled', 'interrupted']),
  mode: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  requests: z.number().int(),
  waitedMs: z.number(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
});
export type LastRun = z.infer<typeof LastRun>;

export const SyncOutcome = z.object({
  results: z.array(SourceProgress),
  skipped: z.array(z.object({ source: SyncSource, reason: z.string() })),
});
export type SyncOutcome = z.infer<typeof SyncOutcome>;

export const SyncStatus = z.object({
  running: z.boolean(),
  progress: z.array(SourceProgress),
  last: z.array(LastRun),
  /** Another Cadence window or `cadence sync` syncing this data folder now (its process, since). */
  elsewhere: z.object({ pid: z.number().int(), since: z.string() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const BookingFilter = z
  .object({
    sources: z.array(BookingSource).max(3).optional(),
    statuses: z.array(BookingStatus).max(6).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    search: z.string().trim().max(200).optional(),
  })
  .strict();
export type BookingFilter = z.infer<typeof BookingFilter>;

export const BookingRow = z.object({
  id: z.number().int(),
  source: BookingSource,
  sourceId: z.string(),
  title: z.string(),
  eventTypeSlug: z.string().nullable(),
  eventTypeName: z.string().nullable(),
  startUtc: z.string(),
  endUtc: z.string(),
  timeZone: z.string().nullable(),
  durationMinutes: z.number().int(),
  status: BookingStatus,
  attendees: z.array(
    z.object({ name: z.string().nullable(), email: z.string().nullable(), role: z.string() }),
  ),
  rescheduledFrom: z.string().nullable(),
});
export type BookingRow = z.infer<typeof BookingRow>;

export const BookingHistoryEntry = z.object({
  observedAt: z.string(),
  kind: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  fromStartUtc: z.string().nullable(),
  toStartUtc: z.string().nullable(),
  detail: z.string().nullable(),
  sourceId: z.string(),
});

export const BookingDetail = BookingRow.extend({
  location: z.string().nullable(),
  hosts: z.array(z.object({ name: z.string().nullable(), email: z.string().nullable() })),
  customAnswers: z.array(z.object({ question: z.string(), answer: z.string() })),
  cancellationReason: z.string().nullable(),
  history: z.array(BookingHistoryEntry),
});
export type BookingDetail = z.infer<typeof BookingDetail>;

export const SourceAccount = z.object({
  source: SyncSource,
  configured: z.boolean(),
  account: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  baseUrl: z.string(),
  /**
   * The service refused the stored key (at Sync now or Check again), when and in what words; null
   * once a key worked again. Absent from an older core.
   */
  keyRefused: z.object({ at: z.string(), message: z.string() }).nullable().optional(),
});
export type SourceAccount = z.infer<typeof SourceAccount>;

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
  'sources:list': method(Empty, z.array(SourceAccount)),
  /** Verifies a pasted key with a real call, then stores it in the keychain. */
  'sources:connect': method(
    z.object({ source: SyncSource, key: z.string().trim().min(1).max(8192) }).strict(),
    SourceAccount,
  ),
  'sources:verify': method(z.object({ source: SyncSource }).strict(), SourceAccount),
  'sources:disconnect': method(z.object({ source: SyncSource }).strict(), SourceAccount),
  'sync:run': method(
    z
      .object({
        sources: z.union([z.literal('all'), z.array(SyncSource).min(1).max(4)]).default('all'),
        mode: z.enum(['incremental', 'full']).default('incremental'),
      })
      .strict(),
    SyncOutcome,
  ),
  'sync:cancel': method(Empty, z.object({ cancelled: z.boolean() })),
  'sync:status': method(Empty, SyncStatus),
  'bookings:list': method(
    z
      .object({
        filter: BookingFilter.default({}),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ total: z.number().int(), rows: z.array(BookingRow) }),
  ),
  'bookings:get': method(z.object({ id: z.number().int().positive() }).strict(), BookingDetail),
  /** Switches to the demo practice: simulated accounts on a separate data folder, marked DEMO. */
  'demo:start': method(Empty, AppStatus),
  /** Leaves the demo and returns to the advisor's own data folder. */
  'demo:exit': method(Empty, AppStatus),
  /** Deletes the demo data folder and starts the demo afresh. */
  'demo:reset': method(Empty, AppStatus),
  ...matchMethods,
  ...metricsMethods,
  ...changesMethods,
  ...webhookMethods,
} as const;

/**
 * A step after the sources that failed: sorting the bookings into categories (`classification`)
 * or working out the changes for LACRM (`plan`). The bookings are stored; the next sync runs the
 * step again.
 */
export const SyncStepFailed = z.object({
  step: z.enum(['classification', 'plan']),
  error: z.string(),
  /** What the step ran after: a sync, or a booking a webhook delivered (added; absent: a sync). */
  after: z.enum(['sync', 'webhook']).optional(),
});
export type SyncStepFailed = z.infer<typeof SyncStepFailed>;

/**
 * A step after the sources that ran to the end (added): the matching, sorting into categories or
 * working out the changes for LACRM. A line saying an earlier run of the step failed is out of date
 * once it has.
 */
export const SyncStepDone = z.object({
  step: z.enum(['matching', 'classification', 'plan']),
  after: z.enum(['sync', 'webhook']),
});
export type SyncStepDone = z.infer<typeof SyncStepDone>;

/**
 * A step after the sources that has started and may take a while (added): working out the changes
 * for LACRM, said so the panel does not sit still meanwhile. Followed by sync:step-done or
 * sync:step-failed for the same step; not sent when the step has nothing to do.
 */
export const SyncStepStarted = z.object({
  step: z.enum(['plan']),
  after: z.enum(['sync', 'webhook']),
});
export type SyncStepStarted = z.infer<typeof SyncStepStarted>;

/** Pushes from main to the renderer, named `domain:changed` or `domain:progress`. */
export const events = {
  'app:changed': z.object({ reason: z.string() }),
  'sync:progress': SourceProgress,
  'sync:finished': z.object({
    results: z.array(z.object({ source: SyncSource, state: z.string() })),
  }),
  'sync:step-failed': SyncStepFailed,
  'sync:step-done': SyncStepDone,
  'sync:step-started': SyncStepStarted,
  ...matchEvents,
  ...metricsEvents,
  ...changesEvents,
  ...webhookEvents,
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
