// Security, data at rest: after a full demo sync from the three scheduler simulators and LACRM,
// matching, a plan approved and pushed to the LACRM simulator and a compliance report exported,
// no file Cadence keeps under its data folder (the encrypted DB and its WAL/SHM, profile.json,
// logs, anything else) holds an attendee or contact email, a full name, a simulator API key or a
// DB key, as UTF-8 or UTF-16LE bytes — while the store is open (WAL content) and after it closed.
// The exports the advisor asked for are the one place PII belongs, and they prove the scan works.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbKeyAccount } from '../../src/main/core/store';
import { createAppHost, type AppHost } from '../../src/main/host';
import { fileSink, setLogSink } from '../../src/main/log';
import { generatePractice } from '../../src/main/demo/practice';
import { DEMO_SEED, startDemoWorld } from '../../src/main/demo/start-world';
import { EXPORTS_FOLDER } from '../../src/main/metrics/report-exports';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { Method, OutputOf } from '../../src/shared/contract';
import { syncSources } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { testNet } from '../helpers/world';
import {
  closeAndForget,
  describeFindings,
  practicePii,
  scanFolder,
  secretNeedles,
  type Needle,
} from './security-support';

const LOG_FILE = join('logs', 'cadence.log');
const isAdvisorExport = (path: string) => path.startsWith(`demo/${EXPORTS_FOLDER}/`);

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
  setLogSink((line) => process.stderr.write(`${line}\n`), 'warn');
});

async function call<M extends Method>(host: AppHost, method: M, input: unknown) {
  const result = await host.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as OutputOf<M>;
}

describe('no plaintext PII or secret under the data folder', () => {
  it('after a full demo sync, push and report, in the DB, its WAL, the logs and every other file', async () => {
    const dataDir = tempDir('cadence-security-');
    // As the app does (src/main/index.ts), but at debug level: every line Cadence can write.
    setLogSink(fileSink(join(dataDir, LOG_FILE)), 'debug');
    const secrets = new KeychainSecretStore();
    let demoNow: Date | null = null;
    const host = await createAppHost({
      dataDir,
      secrets,
      net: testNet,
      startDemoWorld: (options) => {
        demoNow = options.now;
        return startDemoWorld(options);
      },
    });
    const profiles = [host.current().context.profile];
    cleanup = closeAndForget(host, secrets, profiles);
    const ownDbKey = await secrets.get(dbKeyAccount(profiles[0]!));
    expect(ownDbKey).toMatch(/^[0-9a-f]{64}$/);

    await call(host, 'demo:start', {});
    const core = host.current();
    profiles.push(core.context.profile);
    expect(core.context.profile.demo).toBe(true);
    const sync = await call(host, 'sync:run', { sources: 'all', mode: 'full' });
    expect(sync.results.map((r) => r.source).sort()).toEqual([...syncSources].sort());
    for (const r of sync.results) expect(r.state, `${r.source}: ${r.error?.message}`).toBe('ok');

    const demo = generatePractice({ seed: DEMO_SEED, now: demoNow! });
    const stored = core.context.db().prepare('SELECT count(*) AS n FROM bookings').get() as {
      n: number;
    };
    expect(stored.n).toBe(demo.stats.bookings.total);

    await call(host, 'changes:plan', {});
    const approved = await call(host, 'changes:approve', { all: true });
    expect(approved.changed).toBeGreaterThan(50);
    const pushed = await call(host, 'changes:push', {});
    expect(pushed, pushed.message ?? '').toMatchObject({ failed: 0, pushed: approved.changed });

    const to = new Date().toISOString().slice(0, 10);
    const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`;
    const csv = await call(host, 'reports:export', { format: 'csv', from, to });
    const json = await call(host, 'reports:export', { format: 'json', from, to });
    expect(csv.clients).toBeGreaterThan(50);

    const demoDbKey = await secrets.get(dbKeyAccount(core.context.profile));
    expect(demoDbKey).toMatch(/^[0-9a-f]{64}$/);
    const apiKeys: string[] = [];
    for (const source of syncSources) {
      const key = await secrets.get(core.context.secretAccount(source));
      expect(key, source).toBeTruthy();
      apiKeys.push(key!);
    }
    const pii = practicePii(demo);
    expect(pii.filter((n) => n.kind === 'email').length).toBeGreaterThan(150);
    expect(pii.filter((n) => n.kind === 'name').length).toBeGreaterThan(150);
    const needles: Needle[] = [
      ...pii,
      ...secretNeedles('api key', apiKeys),
      ...secretNeedles('db key', [ownDbKey!, demoDbKey!]),
    ];

    // The log got real lines (so scanning it means something).
    const logText = readFileSync(join(dataDir, LOG_FILE), 'utf8');
    expect(logText.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    expect(logText).toMatch(/sync|matched|plan/);
    // Redacted: not even a domain of an address is left.
    expect(logText).not.toMatch(/@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/);

    // The advisor's own exports do hold names: the scanner finds them there (it works).
    const exports = scanFolder(dataDir, needles, (path) => !isAdvisorExport(path));
    expect([...exports.files].sort()).toEqual(
      [`demo/${EXPORTS_FOLDER}/${csv.fileName}`, `demo/${EXPORTS_FOLDER}/${json.fileName}`].sort(),
    );
    expect(exports.findings.filter((f) => f.kind === 'name').length).toBeGreaterThan(50);

    // While the store is open: the WAL holds the latest pages.
    const open = scanFolder(dataDir, needles, isAdvisorExport);
    expect(open.files).toEqual(
      expect.arrayContaining([
        'cadence.db',
        'profile.json',
        'demo/cadence.db',
        'demo/cadence.db-wal',
        'demo/profile.json',
        LOG_FILE,
      ]),
    );
    expect(open.bytes).toBeGreaterThan(1_000_000);
    expect(open.findings, describeFindings(open.findings)).toEqual([]);

    await host.close();
    const closed = scanFolder(dataDir, needles, isAdvisorExport);
    expect(closed.files).toEqual(
      expect.arrayContaining(['cadence.db', 'demo/cadence.db', LOG_FILE]),
    );
    expect(closed.findings, describeFindings(closed.findings)).toEqual([]);
  }, 150_000);
});
