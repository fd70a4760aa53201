// Fuzzing the core's one way in, invoke(method, input), as the window (through IPC) and the
// loopback bridge reach it. Whatever arrives: the promise resolves (never rejects) with a Result;
// an unknown method answers unknown_method naming it; input the contract refuses answers
// invalid_input naming the method and the field; a refused call changes nothing in the store or
// the keychain; and read-only methods never fail as 'internal' (a crash or a contract breach).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { contract, methodNames, type Method } from '../../src/shared/contract';
import { errorCodes, type Result } from '../../src/shared/result';
import {
  allPaths,
  MemorySecretStore,
  mutate,
  mutationKind,
  oddValue,
  storeFingerprint,
} from './fuzz-support';

const RUNS = 200;

let dataDir: string;
let core: Core;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cadence-fuzz-ipc-'));
  core = await createCore({
    dataDir,
    secrets,
    clock: () => new Date('2026-06-01T12:00:00.000Z'),
  });
});

afterAll(() => {
  core?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Valid inputs for methods that take fields (each is checked against the contract below). */
const examples: Partial<Record<Method, Record<string, unknown>>> = {
  'settings:set': { 'advisor.name': 'Pat Example' },
  'secrets:set': { name: 'calcom', value: 'cal_live_example' },
  'secrets:delete': { name: 'calcom' },
  'sources:connect': { source: 'calcom', key: 'cal_live_example' },
  'sources:verify': { source: 'calcom' },
  'sources:disconnect': { source: 'calcom' },
  'sync:run': { sources: ['calcom'], mode: 'full' },
  'bookings:list': { offset: 0, limit: 10 },
  'bookings:get': { id: 1 },
  'review:list': { limit: 10 },
  'contacts:search': { query: 'pat', limit: 5 },
  'matches:confirm': { attendeeId: 1, contactId: '1' },
  'matches:reject': { attendeeId: 1, contactId: '1' },
  'matches:ignore': { email: 'pat@example.com' },
  'matches:requestContact': { attendeeId: 1, firstName: 'Pat', lastName: 'Example' },
  'matches:undo': { decisionId: 1 },
  'matches:bulkAccept': { minScore: 0.9 },
  'matches:forBooking': { bookingId: 1 },
  'classification:get': { bookingId: 1 },
  'classification:override': { bookingId: 1, category: 'general' },
  'classification:clearOverride': { bookingId: 1 },
  'policy:setGroup': { field: 'Tier', value: 'A', cadenceMonths: 12 },
  'policy:deleteGroup': { id: 1 },
  'policy:setContact': { contactId: '1', cadenceMonths: 12 },
  'metrics:clients': { filter: 'all', offset: 0, limit: 10 },
  'metrics:bookings': { list: { kind: 'upcoming_reviews' }, offset: 0, limit: 10 },
  'reports:compliance': { from: '2026-01-01', to: '2026-03-31' },
  'reports:export': { format: 'csv', from: '2026-01-01', to: '2026-03-31' },
  'reports:exports': { limit: 5 },
  'changes:summary': { states: ['proposed'] },
  'changes:list': { offset: 0, limit: 10 },
  'changes:approve': { ids: [1] },
  'changes:reject': { ids: [1] },
  'changes:undo': { batchId: 1 },
  'audit:list': { limit: 10 },
  'webhooks:configure': { enabled: false, port: 9000 },
  'webhooks:calendlySubscribe': { url: 'https://tunnel.example.com/webhooks/calendly' },
  'webhooks:calendlyDelete': { uri: 'https://api.calendly.com/webhook_subscriptions/abc' },
};

/** Methods that only read: safe to run with any input the contract accepts. */
const readOnly: readonly Method[] = [
  'app:status',
  'settings:get',
  'sources:list',
  'sync:status',
  'bookings:list',
  'bookings:get',
  'review:list',
  'contacts:search',
  'matches:forBooking',
  'rules:get',
  'classification:get',
  'policy:get',
  'metrics:dashboard',
  'metrics:clients',
  'metrics:bookings',
  'reports:compliance',
  'reports:exports',
  'changes:summary',
  'changes:list',
  'audit:list',
  'audit:verify',
  'webhooks:status',
];

const accepts = (method: Method, input: unknown) => contract[method].input.safeParse(input).success;

/** The state a refused call must leave alone: rows written, settings, keychain writes. */
function snapshot() {
  return {
    store: storeFingerprint(core.context.db()),
    settings: JSON.stringify(core.context.settings()),
    secretWrites: secrets.writes,
  };
}

async function invokeSafely(method: string, input: unknown): Promise<Result<unknown>> {
  // invoke must never reject: a rejection fails the property right here.
  const result = await core.invoke(method, input);
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(errorCodes).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
    expect(result.error.message.length).toBeGreaterThan(0);
  }
  return result;
}

const method = fc.constantFrom(...methodNames);

describe('core.invoke under fuzzing', () => {
  it('has a valid example for every method it fuzzes by field', () => {
    for (const [name, input] of Object.entries(examples)) {
      expect(accepts(name as Method, input), name).toBe(true);
    }
    for (const name of readOnly) expect(methodNames).toContain(name);
  });

  it('answers unknown_method, naming it, for any other method name', async () => {
    const name = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'app:status ',
        'App:status',
        'app:',
        ':status',
        'settings:set\u0000',
      ),
      method.map((m) => m.toUpperCase()),
      fc.tuple(method, fc.string({ minLength: 1, maxLength: 5 })).map(([m, s]) => m + s),
    );
    await fc.assert(
      fc.asyncProperty(
        name.filter((n) => !(methodNames as string[]).includes(n)),
        fc.jsonValue(),
        async (n, input) => {
          const before = snapshot();
          const result = await invokeSafely(n, input);
          expect(result).toEqual({
            ok: false,
            error: { code: 'unknown_method', message: `There is no method named "${n}".` },
          });
          expect(snapshot()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses any input the contract refuses with invalid_input, changing nothing', async () => {
    const input = fc.oneof(
      fc.anything({ maxDepth: 3, withNullPrototype: true, withMap: true, withDate: true }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(null, 0, '', [], 'undefined', { __proto__: null }, Number.NaN),
    );
    await fc.assert(
      fc.asyncProperty(method, input, async (m, value) => {
        fc.pre(!accepts(m, value));
        const before = snapshot();
        const result = await invokeSafely(m, value);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('invalid_input');
        expect(result.error.message.startsWith(`${m}: input`)).toBe(true);
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('names the field when one field of a valid input is deleted, nulled or mistyped', async () => {
    const cases = Object.entries(examples).flatMap(([m, example]) =>
      allPaths(example).map((path) => ({ m: m as Method, example, path })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), mutationKind, async (c, kind) => {
        const input = mutate(c.example, { path: c.path, kind });
        fc.pre(!accepts(c.m, input));
        const before = snapshot();
        const result = await invokeSafely(c.m, input);
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        if (result.ok) return;
        if (kind === 'delete') {
          // A missing field may be reported where its alternative goes (matches:ignore asks for
          // attendeeId or email): some field is named either way.
          expect(result.error.message).toMatch(/input\.[A-Za-z]/);
        } else {
          expect(result.error.message).toContain(`input.${String(c.path[0])}`);
        }
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('names an unexpected key instead of ignoring it', async () => {
    const strictMethods = methodNames.filter((m) => accepts(m, examples[m] ?? {}));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...strictMethods),
        fc.stringMatching(/^[a-z][A-Za-z0-9]{0,12}$/).map((k) => `zz${k}`),
        fc.jsonValue({ maxDepth: 2 }),
        async (m, key, value) => {
          const before = snapshot();
          const result = await invokeSafely(m, { ...(examples[m] ?? {}), [key]: value });
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
          if (result.ok) return;
          expect(result.error.message).toContain(key);
          expect(snapshot()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never fails as internal on a read-only method, whatever the input', async () => {
    const nearValid = fc.constantFrom(...readOnly).chain((m) => {
      const example = examples[m];
      const paths = example ? allPaths(example) : [];
      return fc.record({
        m: fc.constant(m),
        input: paths.length
          ? fc
              .record({ path: fc.constantFrom(...paths), value: oddValue })
              .map(({ path, value }) => mutate(example, { path, kind: 'odd', value }))
          : fc.oneof(fc.constant(undefined), fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
      });
    });
    await fc.assert(
      fc.asyncProperty(nearValid, async ({ m, input }) => {
        const result = await invokeSafely(m, input);
        if (!result.ok) expect(result.error.code, result.error.message).not.toBe('internal');
        else expect(contract[m].output.safeParse(result.value).success).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
