// Shared pieces of the fuzz suites (test/hardening/fuzz-*.test.ts): an HttpClient whose answers a
// test scripts, JSON mutation at a path (delete, null, wrong type), an in-memory secret store that
// counts writes, and the checks every property repeats (no stack trace, store fingerprint).
import fc from 'fast-check';
import type { Db } from '../../src/main/db/open';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../src/main/net/http';
import { RateBudget } from '../../src/main/net/rate-budget';
import type { KeychainStatus, SecretStore } from '../../src/main/secrets/secret-store';
import type { SyncSource } from '../../src/shared/domain';

export type Answer = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/**
 * An HttpClient that sends nothing: each request is answered by `answer`. Retries, budgets and
 * timeouts are bypassed on purpose, so a fuzzed status or body reaches the parser as it is.
 */
export class ScriptedHttp extends HttpClient {
  readonly seen: HttpRequest[] = [];

  constructor(
    source: SyncSource,
    private readonly answer: Answer,
  ) {
    super({ source, budget: new RateBudget({ limitPerMinute: Number.POSITIVE_INFINITY }) });
  }

  override async request(req: HttpRequest): Promise<HttpResponse> {
    this.seen.push(req);
    this.requestCount++;
    return this.answer(req);
  }
}

/** An HttpClient for `source` that really sends, with no client-side budget. */
export function realHttp(source: SyncSource): HttpClient {
  return new HttpClient({
    source,
    budget: new RateBudget({ limitPerMinute: Number.POSITIVE_INFINITY }),
    timeoutMs: 5000,
    maxRetries: 0,
  });
}

/** Wraps a real client and keeps every request with its response. */
export class RecordingHttp extends HttpClient {
  readonly records: { req: HttpRequest; res: HttpResponse }[] = [];

  constructor(private readonly inner: HttpClient) {
    super({ source: inner.source, budget: inner.budget });
  }

  override async request(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.inner.request(req);
    this.records.push({ req, res });
    return res;
  }
}

export function jsonResponse(body: unknown, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(body) };
}

export function textResponse(text: string, status = 200): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, text };
}

// ---------------------------------------------------------------------------------------------
// JSON mutation

export type JsonPath = readonly (string | number)[];
export type MutationKind = 'delete' | 'null' | 'wrong_type';
/** A required-field break, or (`odd`) a value of a plausible type that no real answer carries. */
export type Mutation =
  | Readonly<{ path: JsonPath; kind: MutationKind }>
  | Readonly<{ path: JsonPath; kind: 'odd'; value: unknown }>;

export function pathText(path: JsonPath): string {
  return path.map(String).join('.');
}

/** A value of a type the field never has: a string for a boolean, `true` for anything else. */
export function wrongTypeFor(value: unknown): unknown {
  return typeof value === 'boolean' ? 'yes' : true;
}

/** Every path in a JSON value (the root excluded), parents before children. */
export function allPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index], ...allPaths(item, [...prefix, index]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key], ...allPaths(item, [...prefix, key]));
    }
  }
  return out;
}

export function valueAt(value: unknown, path: JsonPath): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** A deep copy of `value` with the mutation applied (deleting an array element splices it out). */
export function mutate(value: unknown, mutation: Mutation): unknown {
  const copy = structuredClone(value);
  const parent = valueAt(copy, mutation.path.slice(0, -1)) as Record<string | number, unknown>;
  const key = mutation.path[mutation.path.length - 1]!;
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'null':
      parent[key] = null;
      break;
    case 'wrong_type':
      parent[key] = wrongTypeFor(parent[key]);
      break;
    case 'odd':
      parent[key] = mutation.value;
      break;
  }
  return copy;
}

export const mutationKind = fc.constantFrom<MutationKind>('delete', 'null', 'wrong_type');

/** Values of ordinary types that sit at the edges: empty, blank, huge, negative, path-like, odd dates. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'a b/c',
    '../..',
    '-1',
    '0',
    '9'.repeat(40),
    '2026-13-45T25:61:00Z',
    '2026-02-30',
    'Tue, 01 Jan 2030 00:00:00 GMT',
    '+275760-09-13T00:00:00.000Z',
    '1970-01-01T00:00:00Z',
    '\u0000',
    'x'.repeat(5000),
  ),
  fc.constantFrom(0, -1, 1.5, -0, 1e21, Number.MAX_SAFE_INTEGER + 2, -1e308),
  fc.constantFrom({}, [], [null], { '': null }),
  fc.string({ maxLength: 30 }),
);

/** Any mutation at any path of `base`. */
export function anyMutation(base: unknown): fc.Arbitrary<Mutation> {
  const paths = allPaths(base);
  if (paths.length === 0) throw new Error('anyMutation: the base value has no fields');
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    fc.record({ path, kind: mutationKind }),
    fc.record({ path, kind: fc.constant('odd' as const), value: oddValue }),
  );
}

/** JSON text of every kind: arbitrary strings, arbitrary JSON, and JSON objects. */
export const anyBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))
    .map((v) => JSON.stringify(v)),
  fc.constantFrom('', ' ', 'null', '[]', '{}', '"', '{"data":', '\u0000', '<html>502</html>'),
);

// ---------------------------------------------------------------------------------------------
// Checks

/** A line of a JavaScript stack trace ("    at fn (file:1:2)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)\s*$/m.test(text);
}

/** Rows changed through this connection since it opened, and the schema version. */
export function storeFingerprint(db: Db): string {
  const changes = db.prepare('SELECT total_changes() AS n').get() as { n: number };
  return `${changes.n}/${db.pragma('user_version', { simple: true }) as number}`;
}

/** Secrets in memory; counts writes so a test can tell that a refused call wrote nothing. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  writes = 0;

  async get(account: string): Promise<string | null> {
    return this.values.get(account) ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    this.writes++;
    this.values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    this.writes++;
    return this.values.delete(account);
  }

  status(): KeychainStatus {
    return { available: true, message: null };
  }
}
