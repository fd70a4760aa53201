// One sync at a time per data folder, across processes: while the app (or a command) syncs, a
// second `cadence sync` or Sync now is refused with a sentence instead of failing on a locked
// database, and does not mark the running sync's runs as interrupted. When the syncing process is
// gone (killed, crashed), the next sync takes over and marks the runs it left as interrupted.
import { describe, expect, it, vi } from 'vitest';
import { createCore } from '../../src/main/core/core';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { HEARTBEAT_MS, HEARTBEAT_STALE_MS } from '../../src/main/heartbeat';
import { runCadence } from '../helpers/cli';
import { otherProcess } from '../helpers/other-process';
import { setup } from './match-fixtures';

const BUSY = /A sync is already running in another Cadence window or command \(process \d+, since /;

describe('one sync at a time per data folder', () => {
  it('refuses a second sync while another live process syncs, and takes over once it is gone', async () => {
    const { core } = await setup();
    const dataDir = core.context.dataDir;
    const other = await otherProcess();
    const db = core.context.db();
    const since = new Date(Date.now() - 60_000).toISOString();
    db.prepare('INSERT INTO sync_lease (id, pid, started_at) VALUES (1, ?, ?)').run(
      other.pid,
      since,
    );
    const runId = Number(
      db
        .prepare(
          "INSERT INTO sync_runs (source, started_at, state) VALUES ('calcom', ?, 'running')",
        )
        .run(since).lastInsertRowid,
    );
    core.close();

    // Opening the data folder (the CLI does, for any command) leaves the other sync's runs alone.
    const again = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    try {
      const reopened = again.context.db();
      const state = () =>
        reopened.prepare('SELECT state FROM sync_runs WHERE id = ?').pluck().get(runId);
      expect(state()).toBe('running');
      // What the Sync panel shows: someone else is syncing, since when.
      expect((await again.call('sync:status', {})).elsewhere).toEqual({
        pid: other.pid,
        since,
      });
      await expect(again.call('sync:run', { sources: ['lacrm'] })).rejects.toThrow(BUSY);
      expect(state()).toBe('running');
      expect(reopened.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(1);
      // The refusal is not a sync in this process: a later one is not "already running" here.
      await expect(again.call('sync:run', { sources: ['lacrm'] })).rejects.toThrow(BUSY);
    } finally {
      again.close();
    }

    const refused = await runCadence(['--data-dir', dataDir, 'sync', '--source', 'lacrm']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(BUSY);

    // The other process is gone: the next sync takes the lease over and completes.
    other.kill('SIGKILL');
    await new Promise((done) => other.once('exit', done));
    const after = await runCadence(['--data-dir', dataDir, 'sync', '--source', 'lacrm']);
    expect(after.code, after.stderr).toBe(0);
    const last = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    try {
      const db2 = last.context.db();
      expect(db2.prepare('SELECT state FROM sync_runs WHERE id = ?').pluck().get(runId)).toBe(
        'interrupted',
      );
      // Given back at the end.
      expect(db2.prepare('SELECT count(*) FROM sync_lease').pluck().get()).toBe(0);
      expect((await last.call('sync:status', {})).elsewhere).toBeNull();
      expect(
        db2
          .prepare("SELECT state FROM sync_runs WHERE source = 'lacrm' ORDER BY id DESC")
          .pluck()
          .get(),
      ).toBe('ok');
    } finally {
      last.close();
    }
  });

  it('gives the lease back when the data folder is closed under a running sync', async () => {
    const { core, sim } = await setup();
    sim.faults.add({ fault: { kind: 'slow', ms: 2_000 }, times: 1 });
    const db = core.context.db();
    const running = core.call('sync:run', { sources: ['lacrm'] });
    await expect
      .poll(() => db.prepare('SELECT pid FROM sync_lease').pluck().get())
      .toBe(process.pid);
    // As the app does when it switches to or from the demo practice.
    const dataDir = core.context.dataDir;
    core.close();
    await running.catch(() => undefined);
    const reopened = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    try {
      expect(reopened.context.db().prepare('SELECT count(*) FROM sync_lease').pluck().get()).toBe(
        0,
      );
    } finally {
      reopened.close();
    }
  });

  it('honours a long sync that beats, and not one that stopped beating though its process id is alive', async () => {
    const { core } = await setup();
    const other = await otherProcess();
    const db = core.context.db();
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    // A first sync at a service's published pace: started 13 hours ago, last beat a minute ago.
    db.prepare(
      'INSERT INTO sync_lease (id, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?)',
    ).run(other.pid, ago(13 * 3_600_000), ago(60_000));
    expect((await core.call('sync:status', {})).elsewhere).toMatchObject({ pid: other.pid });
    await expect(core.call('sync:run', { sources: ['lacrm'] })).rejects.toThrow(BUSY);

    // No beat for ten minutes: the syncing process died and another program now has its id.
    db.prepare('UPDATE sync_lease SET heartbeat_at = ?').run(ago(HEARTBEAT_STALE_MS));
    expect((await core.call('sync:status', {})).elsewhere).toBeNull();
    const outcome = await core.call('sync:run', { sources: ['lacrm'] });
    expect(outcome.results.map((r) => [r.source, r.state])).toEqual([['lacrm', 'ok']]);
  });

  it('records that it is alive while it syncs, waits included', async () => {
    const { core, sim } = await setup();
    // LACRM takes a while over the first request: the sync waits, and beats meanwhile.
    sim.faults.add({ fault: { kind: 'slow', ms: 1_500 }, times: 1 });
    const db = core.context.db();
    const lease = () =>
      db.prepare('SELECT pid, started_at, heartbeat_at FROM sync_lease').get() as
        { pid: number; started_at: string; heartbeat_at: string } | undefined;
    // The minute between beats passes at once; everything else keeps its real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const running = core.call('sync:run', { sources: ['lacrm'] });
      while (lease() === undefined) await new Promise((tick) => setTimeout(tick, 10));
      expect(lease()).toMatchObject({ pid: process.pid });
      await new Promise((later) => setTimeout(later, 300));
      vi.advanceTimersByTime(HEARTBEAT_MS);
      const beat = lease()!;
      expect(Date.parse(beat.heartbeat_at) - Date.parse(beat.started_at)).toBeGreaterThanOrEqual(
        250,
      );
      await running;
      expect(lease()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
