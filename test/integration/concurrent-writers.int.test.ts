// A data folder is shared by processes: the app, a `cadence` command an IT script runs, `cadence
// serve`. While one of them writes, the advisor's decisions, settings and a contact refresh made
// in another must wait their turn and succeed, never fail with "database is locked" (SQLite's
// deferred transactions fail at once when another process commits between their first read and
// their first write; src/main/db/transactions.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbKeyAccount } from '../../src/main/core/store';
import { openDatabase } from '../../src/main/db/open';
import { BUSY_TIMEOUT_MS, DATABASE_BUSY_MESSAGE } from '../../src/main/db/transactions';
import { arrive, attendeeId, booking, ids, setup } from './match-fixtures';

const writers: ChildProcess[] = [];
afterEach(() => {
  for (const child of writers.splice(0)) child.kill('SIGKILL');
});

/** Starts another process that commits to `file` every millisecond or so; resolves once it does. */
function busyWriter(file: string, keyHex: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../helpers/busy-writer.ts')],
    {
      env: { ...process.env, CADENCE_DB_FILE: file, CADENCE_DB_KEY: keyHex },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  writers.push(child);
  return new Promise((ready, failed) => {
    child.once('exit', (code) => failed(new Error(`busy-writer exited with ${code}`)));
    child.stdout!.once('data', () => ready(child));
  });
}

describe('another process writing to the same data folder', () => {
  it('makes decisions, settings and a contact refresh wait their turn instead of failing', async () => {
    const { core } = await setup();
    const meeting = booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]);
    await arrive(core, meeting);
    const target = attendeeId(core, meeting.sourceId, 'bob.smith.home@mail.example');
    const db = core.context.db();
    const keyHex = (await core.context.secrets.get(dbKeyAccount(core.context.profile)))!;
    await busyWriter(db.name, keyHex);
    const writes = () =>
      db.prepare('SELECT n FROM test_busy_writer WHERE id = 1').pluck().get() as number;
    const before = writes();

    const failures: string[] = [];
    const attempt = async (what: string, call: () => Promise<unknown>) => {
      // A moment between calls lets the other process write, as it would between a user's clicks.
      await new Promise((resolve) => setTimeout(resolve, 2));
      try {
        await call();
      } catch (error) {
        failures.push(`${what}: ${(error as Error).message}`);
      }
    };
    for (let round = 0; round < 25; round += 1) {
      await attempt('confirm', () =>
        core.call('matches:confirm', { attendeeId: target, contactId: ids.robert }),
      );
      await attempt('undo', () => core.call('matches:undo', {}));
      await attempt('ignore', () => core.call('matches:ignore', { email: 'someone@else.example' }));
      await attempt('undo', () => core.call('matches:undo', {}));
      await attempt('settings', () =>
        core.call('settings:set', { 'review.defaultCadenceMonths': 6 + (round % 2) }),
      );
    }
    await attempt('contact refresh', () => core.call('sync:run', { sources: ['lacrm'] }));

    expect(failures).toEqual([]);
    // The other process really was writing all along.
    expect(writes() - before).toBeGreaterThan(50);
    // And the decisions all took: the last undo left the suggestion as it was.
    const queue = await core.call('review:list', {});
    expect(queue.items.map((i) => [i.kind, i.email])).toEqual([
      ['suggested', 'bob.smith.home@mail.example'],
    ]);
  });

  it('says plainly when the other process holds the folder longer than Cadence waits', async () => {
    const { core } = await setup();
    const db = core.context.db();
    const keyHex = (await core.context.secrets.get(dbKeyAccount(core.context.profile)))!;
    const other = openDatabase({ file: db.name, keyHex });
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      await expect(
        core.call('settings:set', { 'review.defaultCadenceMonths': 6 }),
      ).rejects.toMatchObject({ code: 'busy', message: DATABASE_BUSY_MESSAGE });
      expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 100);
      other.exec('ROLLBACK');
      // Once the other process is done, the same call goes through.
      await core.call('settings:set', { 'review.defaultCadenceMonths': 6 });
      expect((await core.call('settings:get', {}))['review.defaultCadenceMonths']).toBe(6);
    } finally {
      other.close();
    }
  });
});
