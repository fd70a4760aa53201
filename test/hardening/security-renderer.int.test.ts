// Security, the renderer cannot obtain a key. The preload exposes only window.cadence: one function
// per contract method and `on` for events — never ipcRenderer, a raw invoke/send, process or
// require. And with every secret set (the four API keys and both webhook signing secrets), every
// contract method is called the way the window would call it, through the app host on the demo
// practice, and no answer (value or error) and no event pushed meanwhile contains a secret or a DB
// key. Methods come from the contract, so a new method fails this test until it has an entry
// below; the few that are not called (they forget keys or delete data) are listed with the reason.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dbKeyAccount } from '../../src/main/core/store';
import { DEMO_SEED, startDemoWorld } from '../../src/main/demo/start-world';
import { generatePractice } from '../../src/main/demo/practice';
import { createAppHost, type AppHost } from '../../src/main/host';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { contract, eventNames, methodNames, type Method } from '../../src/shared/contract';
import { secretNames } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { testNet } from '../helpers/world';
import { closeAndForget } from './security-support';

const bridge = vi.hoisted(() => ({
  exposed: [] as [string, unknown][],
  invoked: [] as [string, unknown][],
  listeners: new Map<string, (...args: unknown[]) => void>(),
  removed: [] as string[],
}));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld(key: string, api: unknown) {
      bridge.exposed.push([key, api]);
    },
  },
  ipcRenderer: {
    invoke(channel: string, input: unknown) {
      bridge.invoked.push([channel, input]);
      return Promise.resolve({ ok: true, value: null });
    },
    on(channel: string, listener: (...args: unknown[]) => void) {
      bridge.listeners.set(channel, listener);
    },
    off(channel: string) {
      bridge.removed.push(channel);
      bridge.listeners.delete(channel);
    },
    send() {
      throw new Error('the preload must not send');
    },
  },
}));

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

type Api = Record<string, unknown>;

describe('the preload', () => {
  it('exposes window.cadence with one function per contract method and `on`, nothing else', async () => {
    await import('../../src/preload/index');
    expect(bridge.exposed.map(([key]) => key)).toEqual(['cadence']);
    const api = bridge.exposed[0]![1] as Api;
    expect(Object.isFrozen(api)).toBe(true);

    const leaves: string[] = [];
    for (const [domain, value] of Object.entries(api)) {
      if (domain === 'on') {
        expect(typeof value).toBe('function');
        continue;
      }
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      for (const [verb, fn] of Object.entries(value as Api)) {
        expect(typeof fn, `${domain}.${verb}`).toBe('function');
        expect(Object.keys(fn as object), `${domain}.${verb} carries no properties`).toEqual([]);
        leaves.push(`${domain}:${verb}`);
      }
    }
    expect(leaves.sort()).toEqual([...methodNames].sort());
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'process', 'require', 'shell'])
      expect(api, forbidden).not.toHaveProperty(forbidden);

    // A call goes to its own channel only, with the input as given (or {}).
    const domains = api as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
    await domains.app!.status!();
    await domains.bookings!.get!({ id: 3 });
    expect(bridge.invoked).toEqual([
      ['app:status', {}],
      ['bookings:get', { id: 3 }],
    ]);
  });

  it('delivers event payloads only, for contract events only, and unsubscribes', async () => {
    await import('../../src/preload/index');
    const api = bridge.exposed.at(-1)![1] as {
      on(event: string, listener: (payload: unknown) => void): () => void;
    };
    const received: unknown[] = [];
    const stopUnknown = api.on('ipc:raw', (p) => received.push(p));
    expect(bridge.listeners.size).toBe(0);
    stopUnknown();

    const stop = api.on(eventNames[0]!, (payload) => received.push(payload));
    const handler = bridge.listeners.get('cadence:event')!;
    const fakeEvent = { sender: { send: () => undefined }, ports: [] };
    handler(fakeEvent, eventNames[0], { reason: 'x' });
    handler(fakeEvent, eventNames[1], { other: true });
    expect(received).toEqual([{ reason: 'x' }]);
    stop();
    expect(bridge.removed).toEqual(['cadence:event']);
  });
});

/** What a step of the sweep may need from earlier answers and the store. */
type Sweep = {
  host: AppHost;
  from: string;
  to: string;
  bookingId: number;
  contactId: string;
  lastName: string;
  attendeeId: number;
  pushedChangeId: number;
  batchId: number;
  tidycalKey: string;
  calendlyWebhookSecret: string;
  values: Partial<Record<Method, unknown>>;
};

type Step =
  Readonly<{ input: (s: Sweep) => unknown; exempt?: string }> | Readonly<{ skip: string }>;

/**
 * Every method, in the order the sweep calls them. `exempt`: the answer is allowed to hold the one
 * secret it exists to hand over (and that value is then looked for in every later answer).
 */
const steps: Readonly<Record<Method, Step>> = {
  'app:status': { input: () => ({}) },
  'settings:get': { input: () => ({}) },
  'settings:set': {
    input: (s) => ({
      'advisor.name': (s.values['settings:get'] as { 'advisor.name': string })['advisor.name'],
    }),
  },
  'secrets:set': { input: (s) => ({ name: 'calendly-webhook', value: s.calendlyWebhookSecret }) },
  'secrets:delete': {
    skip: 'forgets a key the advisor stored (its answer is secrets:set’s shape)',
  },
  'sources:list': { input: () => ({}) },
  'sources:connect': { input: (s) => ({ source: 'tidycal', key: s.tidycalKey }) },
  'sources:verify': { input: () => ({ source: 'lacrm' }) },
  'sources:disconnect': { skip: 'forgets a source’s key (its answer is sources:connect’s shape)' },
  'sync:run': { input: () => ({ sources: 'all' }) },
  'sync:cancel': { input: () => ({}) },
  'sync:status': { input: () => ({}) },
  'bookings:list': { input: () => ({ limit: 5000 }) },
  'bookings:get': { input: (s) => ({ id: s.bookingId }) },
  'demo:start': { input: () => ({}) },
  'demo:exit': { skip: 'leaves the demo for the advisor’s own folder (answers app:status)' },
  'demo:reset': { skip: 'deletes the demo folder and its keys (answers app:status)' },
  'review:list': { input: () => ({ limit: 2000 }) },
  'contacts:search': { input: (s) => ({ query: s.lastName, limit: 50 }) },
  'matches:forBooking': { input: (s) => ({ bookingId: s.bookingId }) },
  'matches:confirm': { input: (s) => ({ attendeeId: s.attendeeId, contactId: s.contactId }) },
  'matches:reject': { input: (s) => ({ attendeeId: s.attendeeId, contactId: s.contactId }) },
  'matches:requestContact': {
    input: (s) => ({ attendeeId: s.attendeeId, firstName: 'Sweep', lastName: 'Tester' }),
  },
  'matches:ignore': { input: () => ({ email: 'nobody-here@sweep.example' }) },
  'matches:bulkAccept': { input: () => ({ minScore: 1 }) },
  'matches:undo': { input: () => ({}) },
  'rules:get': { input: () => ({}) },
  'rules:preview': {
    input: (s) => ({ rules: (s.values['rules:get'] as { rules: unknown }).rules }),
  },
  'rules:save': {
    input: (s) => {
      const state = s.values['rules:get'] as { rules: unknown; version: number };
      return { rules: state.rules, expectedVersion: state.version };
    },
  },
  'classification:get': { input: (s) => ({ bookingId: s.bookingId }) },
  'classification:override': {
    input: (s) => ({ bookingId: s.bookingId, category: 'general', note: 'sweep' }),
  },
  'classification:clearOverride': { input: (s) => ({ bookingId: s.bookingId }) },
  'policy:get': { input: () => ({}) },
  'policy:setGroup': { input: () => ({ field: 'Client tier', value: 'Top', cadenceMonths: 6 }) },
  'policy:deleteGroup': {
    input: (s) => ({
      id: (s.values['policy:setGroup'] as { groups: { id: number }[] }).groups[0]!.id,
    }),
  },
  'policy:setContact': { input: (s) => ({ contactId: s.contactId, cadenceMonths: null }) },
  'metrics:dashboard': { input: () => ({}) },
  'metrics:clients': { input: () => ({ filter: 'all', limit: 5000 }) },
  'metrics:bookings': { input: () => ({ list: { kind: 'upcoming_reviews' }, limit: 5000 }) },
  'reports:compliance': { input: (s) => ({ from: s.from, to: s.to }) },
  'reports:export': { input: (s) => ({ format: 'json', from: s.from, to: s.to }) },
  'reports:exports': { input: () => ({}) },
  'changes:summary': { input: () => ({}) },
  'changes:list': { input: () => ({ states: undefined, offset: 0, limit: 5000 }) },
  'changes:plan': { input: () => ({}) },
  'changes:approve': { input: (s) => ({ ids: [s.pushedChangeId] }) },
  'changes:reject': { input: (s) => ({ ids: [s.pushedChangeId] }) },
  'changes:push': { input: () => ({}) },
  'changes:cancel': { input: () => ({}) },
  'changes:undo': { input: (s) => ({ batchId: s.batchId }) },
  'changes:checkFields': { input: () => ({}) },
  'audit:list': { input: () => ({ limit: 1000 }) },
  'audit:verify': { input: () => ({}) },
  'audit:export': { input: () => ({}) },
  'webhooks:status': { input: () => ({}) },
  'webhooks:configure': { input: () => ({ enabled: false }) },
  'webhooks:newCalcomSecret': {
    input: () => ({}),
    exempt: 'hands a new Cal.com signing secret over once, for the advisor to paste into Cal.com',
  },
  'webhooks:calendlySubscribe': {
    input: () => ({ url: 'https://hooks.sweep.example/webhooks/calendly' }),
  },
  'webhooks:calendlyList': { input: () => ({}) },
  'webhooks:calendlyDelete': {
    input: (s) => ({ uri: (s.values['webhooks:calendlySubscribe'] as { uri: string }).uri }),
  },
};

async function call(host: AppHost, method: Method, input: unknown): Promise<unknown> {
  const result = await host.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('no answer to the window holds a key', () => {
  it('has a step or a stated reason for every contract method', () => {
    expect(Object.keys(steps).sort()).toEqual([...methodNames].sort());
    expect(Object.keys(contract).sort()).toEqual([...methodNames].sort());
  });

  it('calls every method with every secret set, and finds no secret in any answer or event', async () => {
    const secrets = new KeychainSecretStore();
    const host = await createAppHost({
      dataDir: tempDir('cadence-renderer-'),
      secrets,
      net: testNet,
      startDemoWorld,
    });
    const profiles = [host.current().context.profile];
    cleanup = closeAndForget(host, secrets, profiles);
    await call(host, 'demo:start', {});
    const core = host.current();
    profiles.push(core.context.profile);
    const events: unknown[] = [];
    host.subscribe((event, payload) => events.push({ event, payload }));

    // Every secret set: the demo's four API keys, and both webhook signing secrets.
    const calendlyWebhookSecret = randomBytes(24).toString('base64url');
    await call(host, 'secrets:set', {
      name: 'calcom-webhook',
      value: randomBytes(32).toString('hex'),
    });
    await call(host, 'secrets:set', { name: 'calendly-webhook', value: calendlyWebhookSecret });
    const secretValues = new Set<string>();
    const collectSecrets = async () => {
      for (const profile of profiles) {
        const key = await secrets.get(dbKeyAccount(profile));
        if (key) secretValues.add(key);
        for (const name of secretNames) {
          const value = await secrets.get(`${profile.profileId}:${name}`);
          if (value) secretValues.add(value);
        }
      }
    };
    await collectSecrets();
    expect(secretValues.size).toBe(2 + secretNames.length);

    const synced = (await call(host, 'sync:run', { sources: 'all', mode: 'full' })) as {
      results: { state: string }[];
    };
    for (const r of synced.results) expect(r.state).toBe('ok');
    await call(host, 'changes:plan', {});
    await call(host, 'changes:approve', { all: true });
    const push = (await call(host, 'changes:push', {})) as { batchId: number; failed: number };
    expect(push.failed).toBe(0);

    const db = core.context.db();
    const matched = db
      .prepare(
        `SELECT m.attendee_id AS attendeeId, m.contact_id AS contactId, a.booking_id AS bookingId
           FROM matches m JOIN attendees a ON a.id = m.attendee_id
          WHERE m.state = 'auto' ORDER BY m.attendee_id LIMIT 1`,
      )
      .get() as { attendeeId: number; contactId: string; bookingId: number };
    const pushed = db.prepare(`SELECT id FROM changes WHERE state = 'pushed' LIMIT 1`).get() as {
      id: number;
    };
    const practice = generatePractice({ seed: DEMO_SEED, now: new Date() });
    const contact = practice.lacrm.contacts.find(
      (c) => c.ContactId === matched.contactId && typeof c.Name === 'object',
    );
    const to = new Date().toISOString().slice(0, 10);
    const sweep: Sweep = {
      host,
      from: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`,
      to,
      bookingId: matched.bookingId,
      contactId: matched.contactId,
      lastName: contact && typeof contact.Name === 'object' ? contact.Name.LastName : 'a',
      attendeeId: matched.attendeeId,
      pushedChangeId: pushed.id,
      batchId: push.batchId,
      tidycalKey: (await secrets.get(core.context.secretAccount('tidycal')))!,
      calendlyWebhookSecret,
      values: {},
    };

    const called: string[] = [];
    const skipped: string[] = [];
    const failed: string[] = [];
    for (const [method, step] of Object.entries(steps) as [Method, Step][]) {
      if ('skip' in step) {
        skipped.push(method);
        continue;
      }
      events.length = 0;
      const result = await host.invoke(method, step.input(sweep));
      called.push(method);
      if (result.ok) sweep.values[method] = result.value;
      else failed.push(`${method}: ${result.error.code}: ${result.error.message}`);
      const before = new Set(secretValues);
      await collectSecrets(); // a call may have made a new one (a webhook signing key)
      const answer = JSON.stringify(result).toLowerCase();
      const pushedEvents = JSON.stringify(events).toLowerCase();
      for (const secret of secretValues) {
        const handedOver = step.exempt !== undefined && !before.has(secret);
        if (!handedOver)
          expect(answer.includes(secret.toLowerCase()), `${method} answered with a secret`).toBe(
            false,
          );
        expect(
          pushedEvents.includes(secret.toLowerCase()),
          `${method}: an event held a secret`,
        ).toBe(false);
      }
      // Only the exempt method's answer holds its new secret, and only that one.
      if (step.exempt !== undefined) {
        expect(result.ok, `${method}: ${JSON.stringify(result)}`).toBe(true);
        const fresh = [...secretValues].filter((v) => !before.has(v));
        expect(fresh).toHaveLength(1);
        expect(answer).toContain(fresh[0]!.toLowerCase());
      }
    }
    expect(called.length + skipped.length).toBe(methodNames.length);
    expect(skipped.sort()).toEqual([
      'demo:exit',
      'demo:reset',
      'secrets:delete',
      'sources:disconnect',
    ]);
    // Every call answered: an error would hide nothing, but it would not prove much either.
    expect(failed).toEqual([]);
    const status = sweep.values['app:status'] as {
      secrets: Record<string, { configured: boolean }>;
    };
    for (const name of secretNames) expect(status.secrets[name]!.configured, name).toBe(true);
  }, 120_000);
});
