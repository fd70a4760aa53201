// A push left 'running' in the store by another process: honoured while that process runs and
// beats, taken over once it stops beating — its process id may by then belong to another program,
// which would otherwise block every push until it exits. And a running push beats, waits included.
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTBEAT_STALE_MS } from '../../src/main/heartbeat';
import { pushServiceFor } from '../../src/main/push/service';
import { otherProcess } from '../helpers/other-process';
import { changeRows, PRACTICE_NOW, startPushWorld, type PushWorld } from './push-fixtures';

let pw: PushWorld | null = null;
afterEach(async () => {
  await pw?.close();
  pw = null;
});

async function oneApprovedChange(options: Parameters<typeof startPushWorld>[0] = {}) {
  pw = await startPushWorld(options);
  const { core } = pw;
  const outcome = await core.call('sync:run', {});
  for (const r of outcome.results) expect(r.state, `${r.source}: ${r.error?.message}`).toBe('ok');
  const [change] = changeRows(core, "state = 'proposed'");
  expect(change).toBeDefined();
  await core.call('changes:approve', { ids: [change!.id] });
  return { core, lacrm: pw.lacrm, change: change! };
}

const before = (ms: number) => new Date(PRACTICE_NOW.getTime() - ms).toISOString();

describe('a push marked running by another process', () => {
  it('is honoured while it beats and taken over once it has stopped', async () => {
    const { core, change } = await oneApprovedChange();
    const other = await otherProcess();
    const db = core.context.db();
    // Started an hour and a half ago (a large push at LACRM's pace), last beat a minute ago.
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO push_batches (started_at, heartbeat_at, state, actor, pid, total)
           VALUES (?, ?, 'running', 'cli', ?, 40)`,
        )
        .run(before(90 * 60_000), before(60_000), other.pid).lastInsertRowid,
    );
    const listed = async () =>
      (await core.call('changes:summary', {})).batches.find((b) => b.id === batchId)!;

    await expect(core.call('changes:push', {})).rejects.toMatchObject({
      code: 'busy',
      message: expect.stringMatching(/A push is already running \(push #\d+, in another Cadence/),
    });
    expect(await listed()).toMatchObject({ state: 'running', undoBlocked: 'It is still running.' });
    await expect(core.call('changes:undo', { batchId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/is still running/),
    });
    expect(changeRows(core, 'id = ?', change.id)[0]!.state).toBe('approved');

    // No beat for ten minutes: nobody is pushing it, whatever runs under that process id now.
    db.prepare('UPDATE push_batches SET heartbeat_at = ? WHERE id = ?').run(
      before(HEARTBEAT_STALE_MS),
      batchId,
    );
    expect((await listed()).state).toBe('interrupted');
    expect(await core.call('changes:push', {})).toMatchObject({ pushed: 1, failed: 0 });
    expect(db.prepare('SELECT state FROM push_batches WHERE id = ?').pluck().get(batchId)).toBe(
      'interrupted',
    );
    expect(changeRows(core, 'id = ?', change.id)[0]!.state).toBe('pushed');
  }, 30_000);

  it('beats while it pushes, also while it waits for LACRM', async () => {
    const started = Date.now();
    const { core, lacrm } = await oneApprovedChange({
      clock: () => new Date(PRACTICE_NOW.getTime() + (Date.now() - started)),
    });
    // LACRM takes 800 ms over the push's first request.
    lacrm.faults.add({ fault: { kind: 'slow', ms: 800 }, times: 1 });
    const outcome = await pushServiceFor(core.context).push({ actor: 'advisor', heartbeatMs: 50 });
    expect(outcome).toMatchObject({ pushed: 1, failed: 0 });
    const batch = core.context
      .db()
      .prepare('SELECT started_at, heartbeat_at FROM push_batches WHERE id = ?')
      .get(outcome.batchId) as { started_at: string; heartbeat_at: string };
    expect(Date.parse(batch.heartbeat_at) - Date.parse(batch.started_at)).toBeGreaterThanOrEqual(
      600,
    );
  }, 30_000);
});
