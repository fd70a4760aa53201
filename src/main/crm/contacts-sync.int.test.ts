// The contact refresh against the LACRM simulator over real HTTP, into a real encrypted database:
// full pulls paged at the page size, incremental pulls that cost one request, deletions found by
// the next full pull, cancel keeping what was stored, run rows and progress like any source.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import type { SourceProgress } from '../../shared/contract';
import { contactsForMatching, liveContactCount } from '../db/queries/contacts';
import { openDatabase, type Db } from '../db/open';
import { startLacrmSim, type LacrmSim } from '../demo/sim/lacrm';
import { HttpClient } from '../net/http';
import { RateBudget } from '../net/rate-budget';
import { lastRuns } from '../sync/runs';
import { readContactsCheckpoint, syncContacts, type ContactsSyncOptions } from './contacts-sync';
import { createLacrmClient } from './lacrm/client';
import type { LacrmContact } from './lacrm/types';

const T0 = Date.parse('2026-03-02T15:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

let sim: LacrmSim | null = null;
let db: Db | null = null;
let clock = T0;

afterEach(async () => {
  await sim?.close();
  sim = null;
  db?.close();
  db = null;
});

function person(i: number): LacrmContact {
  return {
    ContactId: String(3_000_000_000_000_000_000_000_000_000_000n + BigInt(i)),
    IsCompany: false,
    AssignedTo: 483823,
    CompanyId: null,
    Name: { FirstName: `Client${i}`, LastName: 'Example', Suffix: i === 1 ? 'Jr.' : '' },
    Email: [
      { Text: `client${i}@clients.example`, Type: 'Work' },
      ...(i === 2 ? [{ Text: 'Second.Client@Gmail.com', Type: 'Personal' }] : []),
    ],
    Phone: [],
    'Company Name': i % 10 === 0 ? 'Harbor Logistics' : '',
    'Next review due': '2026-09-14',
    DateCreated: new Date(T0 - (400 - i) * DAY).toISOString(),
    LastUpdate: new Date(T0 - (200 - (i % 150)) * DAY).toISOString(),
  };
}

async function setup(count: number) {
  clock = T0;
  sim = await startLacrmSim({
    now: () => clock,
    contacts: Array.from({ length: count }, (_, i) => person(i + 1)),
  });
  db = openDatabase({ file: join(tempDir(), 'c.db'), keyHex: randomBytes(32).toString('hex') });
  return { sim, db };
}

function run(overrides: Partial<ContactsSyncOptions> & { apiKey?: string } = {}) {
  const http = new HttpClient({
    source: 'lacrm',
    budget: new RateBudget({ limitPerMinute: Number.POSITIVE_INFINITY }),
    timeoutMs: 2_000,
    maxRetries: 1,
    baseBackoffMs: 1,
    maxBackoffMs: 5,
  });
  const client = createLacrmClient({
    http,
    baseUrl: sim!.baseUrl,
    apiKey: overrides.apiKey ?? sim!.apiKey,
  });
  const progress: SourceProgress[] = [];
  const result = syncContacts({
    db: db!,
    client,
    http,
    mode: 'incremental',
    signal: new AbortController().signal,
    now: () => new Date(clock),
    trigger: 'test',
    onProgress: (p) => progress.push(p),
    fullPageSize: 50,
    ...overrides,
  });
  return { result, progress, http };
}

describe('contact refresh', () => {
  it('pulls everything page by page the first time and stores every address by its key', async () => {
    const { sim, db } = await setup(120);
    const { result, progress } = run();
    const outcome = await result;
    expect(outcome).toMatchObject({
      source: 'lacrm',
      state: 'ok',
      fetched: 120,
      created: 120,
      updated: 0,
      page: 3,
      requests: 3,
    });
    expect(sim.callCount('GetContacts')).toBe(3);
    expect(progress.map((p) => p.page)).toEqual([0, 1, 2, 3, 3]);
    expect(new Set(progress.map((p) => p.source))).toEqual(new Set(['lacrm']));
    expect(liveContactCount(db)).toBe(120);
    const keys = db
      .prepare('SELECT email_key FROM contact_emails WHERE contact_id = ?')
      .pluck()
      .all(person(2).ContactId);
    expect(keys.sort()).toEqual(['client2@clients.example', 'secondclient@gmail.com']);
    const first = contactsForMatching(db).find((c) => c.contactId === person(1).ContactId);
    expect(first).toMatchObject({ firstName: 'Client1', lastName: 'Example', suffix: 'Jr.' });
    const run0 = lastRuns(db).find((r) => r.source === 'lacrm');
    expect(run0).toMatchObject({ state: 'ok', mode: 'full', fetched: 120, created: 120 });
    const newest = Math.max(...sim.contacts().map((c) => Date.parse(c.LastUpdate)));
    expect(Date.parse(readContactsCheckpoint(db)!.watermark!)).toBe(newest);
  });

  it('refreshes incrementally with one request, picking up edits and new contacts', async () => {
    const { sim, db } = await setup(120);
    await run().result;
    clock += 60_000;
    sim.editContactDirectly(person(7).ContactId, { 'Job Title': 'CFO' });
    sim.editContactDirectly(person(8).ContactId, {
      Email: [{ Text: 'new.address@clients.example', Type: 'Work' }],
    });
    const added = sim.addContactDirectly({
      Name: { FirstName: 'Nora', LastName: 'Newcomer' },
      Email: [{ Text: 'nora@clients.example', Type: 'Work' }],
    });
    const before = sim.callCount('GetContacts');
    const outcome = await run().result;
    expect(sim.callCount('GetContacts') - before).toBe(1);
    expect(outcome).toMatchObject({ state: 'ok', created: 1, updated: 2, requests: 1 });
    expect(outcome.fetched).toBeLessThan(10);
    expect(lastRuns(db).find((r) => r.source === 'lacrm')?.mode).toBe('incremental');
    expect(liveContactCount(db)).toBe(121);
    const keys = db
      .prepare('SELECT email_key FROM contact_emails WHERE contact_id = ?')
      .pluck()
      .all(person(8).ContactId);
    expect(keys).toEqual(['new.address@clients.example']);
    expect(contactsForMatching(db).some((c) => c.contactId === added)).toBe(true);

    const again = await run().result;
    expect(again).toMatchObject({ state: 'ok', created: 0, updated: 0, requests: 1 });
  });

  it('finds deletions with the next full pull, which is forced weekly', async () => {
    const { sim, db } = await setup(60);
    await run().result;
    sim.deleteContactDirectly(person(5).ContactId);
    clock += DAY;
    await run().result;
    expect(liveContactCount(db)).toBe(60);

    clock += 7 * DAY;
    const weekly = await run().result;
    expect(lastRuns(db).find((r) => r.source === 'lacrm')?.mode).toBe('full');
    expect(weekly).toMatchObject({ state: 'ok', fetched: 59, updated: 1 });
    expect(liveContactCount(db)).toBe(59);
    expect(contactsForMatching(db).some((c) => c.contactId === person(5).ContactId)).toBe(false);
    const removed = db
      .prepare('SELECT removed FROM contacts WHERE contact_id = ?')
      .pluck()
      .get(person(5).ContactId);
    expect(removed).toBe(1);
  });

  it('keeps the pages stored before a cancel and does not move the checkpoint', async () => {
    const { db } = await setup(120);
    const controller = new AbortController();
    const { result } = run({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.page === 1 && p.state === 'running') controller.abort(new Error('cancelled'));
      },
    });
    const outcome = await result;
    expect(outcome.state).toBe('cancelled');
    expect(outcome.error?.code).toBe('cancelled');
    expect(liveContactCount(db)).toBe(50);
    expect(readContactsCheckpoint(db)).toBeNull();
    expect(lastRuns(db).find((r) => r.source === 'lacrm')).toMatchObject({
      state: 'cancelled',
      fetched: 50,
    });
    const next = await run().result;
    expect(next).toMatchObject({ state: 'ok', fetched: 120, created: 70, unchanged: 50 });
  });

  it('reports a refused key in words an advisor can act on and stores nothing', async () => {
    const { db } = await setup(3);
    const outcome = await run({ apiKey: 'not-the-key' }).result;
    expect(outcome.state).toBe('failed');
    expect(outcome.error).toMatchObject({ code: 'auth_failed' });
    expect(outcome.error?.message).toMatch(/LACRM refused the API key/);
    expect(liveContactCount(db)).toBe(0);
    expect(lastRuns(db).find((r) => r.source === 'lacrm')?.errorCode).toBe('auth_failed');
  });
});
