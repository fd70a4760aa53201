// The audit log on the real encrypted database: append-only triggers, chain verification against
// the tampering someone who drops the triggers can do, listing, and the examiner's export.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import { migration0050 } from '../db/migrations/0050-audit';
import { type Db, openDatabase } from '../db/open';
import { appendAudit, AuditInputError, listAudit, verifyAudit } from './audit-log';
import { AUDIT_GENESIS_HASH, auditEntryHash, type StoredAuditRow } from './chain';
import { exportAudit, verifyAuditExport } from './export';

const LACRM_ID = '4009810940319283474940318530482';

function applyAuditMigration(db: Db): Db {
  // Until the integrator registers 0050, openDatabase stops at the earlier migrations.
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'audit_log'").get();
  if (!exists) migration0050.up(db);
  return db;
}

function openAuditDb(): Db {
  const db = openDatabase({
    file: join(tempDir(), 'audit.db'),
    keyHex: randomBytes(32).toString('hex'),
  });
  return applyAuditMigration(db);
}

function memoryAuditDb(): Db {
  return applyAuditMigration(new Database(':memory:'));
}

function appendMany(db: Db, count: number): void {
  const actions = ['match.confirmed', 'change.approved', 'push.event_created', 'sync.completed'];
  db.transaction(() => {
    for (let index = 0; index < count; index += 1) {
      appendAudit(db, {
        actor: index % 3 === 0 ? 'system' : 'advisor',
        action: actions[index % actions.length]!,
        subjectType: 'change',
        subjectId: `chg_${index + 1}`,
        detail: { index, state: { from: 'proposed', to: 'approved' }, note: 'Zoë ✓ "quoted"\n' },
        lacrmId: index % 4 === 2 ? LACRM_ID : null,
        at: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      });
    }
  })();
}

function dropTriggers(db: Db): void {
  const triggers = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
    .all() as Array<{ name: string }>;
  expect(triggers.length).toBe(3);
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
}

function row(db: Db, id: number): StoredAuditRow {
  return db.prepare('SELECT * FROM audit_log WHERE id = ?').get(id) as StoredAuditRow;
}

function count(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

// What an attacker with the open database and no triggers can do.
const tamper = {
  editDetail(db: Db, id: number): void {
    db.prepare(`UPDATE audit_log SET detail_json = '{"index":-1}' WHERE id = ?`).run(id);
  },
  editDetailAndRehash(db: Db, id: number): void {
    const changed = { ...row(db, id), detail_json: '{"index":-1}' };
    db.prepare('UPDATE audit_log SET detail_json = ?, hash = ? WHERE id = ?').run(
      changed.detail_json,
      auditEntryHash(changed),
      id,
    );
  },
  delete(db: Db, id: number): void {
    db.prepare('DELETE FROM audit_log WHERE id = ?').run(id);
  },
  swap(db: Db, first: number, second: number): void {
    db.prepare('UPDATE audit_log SET id = -1 WHERE id = ?').run(first);
    db.prepare('UPDATE audit_log SET id = ? WHERE id = ?').run(first, second);
    db.prepare('UPDATE audit_log SET id = ? WHERE id = -1').run(second);
  },
  /** Inserts a forged entry at `at`, chained correctly from the entry before it. */
  insertChained(db: Db, at: number): void {
    db.prepare('UPDATE audit_log SET id = id + 1000000 WHERE id >= ?').run(at);
    db.prepare('UPDATE audit_log SET id = id - 999999 WHERE id >= 1000000').run();
    const fields = {
      id: at,
      at: '2026-01-01T00:00:30.000Z',
      actor: 'advisor',
      action: 'change.approved',
      subject_type: 'change',
      subject_id: 'chg_forged',
      detail_json: '{}',
      lacrm_id: null,
      prev_hash: at === 1 ? AUDIT_GENESIS_HASH : row(db, at - 1).hash,
    };
    const forged = { ...fields, hash: auditEntryHash(fields) };
    // The displaced entry is re-pointed at the forgery, as a careful attacker would.
    db.prepare('UPDATE audit_log SET prev_hash = ? WHERE id = ?').run(forged.hash, at + 1);
    db.prepare(
      'INSERT INTO audit_log VALUES (@id, @at, @actor, @action, @subject_type, @subject_id, @detail_json, @lacrm_id, @prev_hash, @hash)',
    ).run(forged);
  },
};

describe('migration 0050', () => {
  it('adds the audit log to a seeded database without touching existing rows', () => {
    const db = openDatabase({
      file: join(tempDir(), 'seeded.db'),
      keyHex: randomBytes(32).toString('hex'),
    });
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('probe', '1', 'now')").run();
    db.transaction(() => applyAuditMigration(db))();
    expect(db.prepare("SELECT value FROM settings WHERE key = 'probe'").get()).toEqual({
      value: '1',
    });
    expect(count(db)).toBe(0);
    appendAudit(db, { actor: 'system', action: 'audit.started' });
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 1 });
    db.close();
  });
});

describe('appendAudit and verifyAudit', () => {
  it('chains many entries from the genesis value and verifies them', () => {
    const db = openAuditDb();
    appendMany(db, 300);
    const verdict = verifyAudit(db);
    expect(verdict).toEqual({ ok: true, entries: 300, headHash: row(db, 300).hash });
    expect(row(db, 1).prev_hash).toBe(AUDIT_GENESIS_HASH);
    for (const id of [2, 150, 300]) expect(row(db, id).prev_hash).toBe(row(db, id - 1).hash);
    // LACRM ids stay exact strings.
    expect(row(db, 3).lacrm_id).toBe(LACRM_ID);
    db.close();
  });

  it('verifies an empty log as ok with the genesis head', () => {
    expect(verifyAudit(memoryAuditDb())).toEqual({
      ok: true,
      entries: 0,
      headHash: AUDIT_GENESIS_HASH,
    });
  });

  it('stores detail canonically, so key order does not change the text', () => {
    const db = memoryAuditDb();
    const a = appendAudit(db, { actor: 'a', action: 'x.y', detail: { b: 1, a: { d: 2, c: 3 } } });
    const b = appendAudit(db, { actor: 'a', action: 'x.y', detail: { a: { c: 3, d: 2 }, b: 1 } });
    expect(row(db, a.id).detail_json).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(row(db, b.id).detail_json).toBe(row(db, a.id).detail_json);
    expect(a.detail).toEqual({ a: { c: 3, d: 2 }, b: 1 });
  });

  it('commits and rolls back with the caller’s transaction', () => {
    const db = memoryAuditDb();
    appendAudit(db, { actor: 'advisor', action: 'change.approved', subjectId: 'chg_1' });
    expect(() =>
      db.transaction(() => {
        appendAudit(db, { actor: 'advisor', action: 'change.approved', subjectId: 'chg_2' });
        throw new Error('the change itself failed');
      })(),
    ).toThrow('the change itself failed');
    expect(count(db)).toBe(1);
    const next = appendAudit(db, { actor: 'advisor', action: 'change.approved' });
    expect(next.id).toBe(2);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses bad entries and names the field', () => {
    const db = memoryAuditDb();
    const bad: Array<[unknown, RegExp]> = [
      [{ actor: '', action: 'x.y' }, /actor/],
      [{ actor: 'a', action: 'Approve' }, /action: must look like domain\.verb/],
      [{ actor: 'a', action: 'x.y', lacrmId: 4009810940319283 }, /lacrmId/],
      [{ actor: 'a', action: 'x.y', at: '2026-01-01 10:00' }, /at/],
      [{ actor: 'a', action: 'x.y', detail: { n: Number.NaN } }, /detail/],
      [{ actor: 'a\u0000b', action: 'x.y' }, /actor: must not contain control characters/],
    ];
    for (const [entry, message] of bad) {
      expect(() => appendAudit(db, entry as never)).toThrow(AuditInputError);
      expect(() => appendAudit(db, entry as never)).toThrow(message);
    }
    expect(count(db)).toBe(0);
  });
});

describe('append-only triggers', () => {
  it('block UPDATE, DELETE, REPLACE and inserts that do not follow the last entry', () => {
    const db = openAuditDb();
    appendMany(db, 5);
    const before = verifyAudit(db);
    const attempts: Array<[string, () => unknown]> = [
      ['update', () => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 2").run()],
      ['update all', () => db.prepare("UPDATE audit_log SET detail_json = '{}'").run()],
      ['delete', () => db.prepare('DELETE FROM audit_log WHERE id = 5').run()],
      ['delete all', () => db.prepare('DELETE FROM audit_log').run()],
      [
        'replace',
        () =>
          db
            .prepare(
              `INSERT OR REPLACE INTO audit_log VALUES (3, 'now', 'x', 'x.y', NULL, NULL, '{}', NULL, '${'1'.repeat(64)}', '${'2'.repeat(64)}')`,
            )
            .run(),
      ],
      [
        'insert with a gap',
        () =>
          db
            .prepare(
              `INSERT INTO audit_log VALUES (9, 'now', 'x', 'x.y', NULL, NULL, '{}', NULL, '${row(db, 5).hash}', '${'2'.repeat(64)}')`,
            )
            .run(),
      ],
      [
        'insert not chained',
        () =>
          db
            .prepare(
              `INSERT INTO audit_log VALUES (6, 'now', 'x', 'x.y', NULL, NULL, '{}', NULL, '${'1'.repeat(64)}', '${'2'.repeat(64)}')`,
            )
            .run(),
      ],
    ];
    for (const [what, attempt] of attempts) {
      expect(attempt, what).toThrow(/audit_log is append-only/);
    }
    expect(count(db)).toBe(5);
    expect(verifyAudit(db)).toEqual(before);
    db.close();
  });
});

describe('verifyAudit after the triggers are dropped', () => {
  it('names an edited entry', () => {
    const db = openAuditDb();
    appendMany(db, 50);
    dropTriggers(db);
    tamper.editDetail(db, 17);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 17,
      reason: expect.stringMatching(/entry 17 does not match its own hash/),
      entriesChecked: 16,
    });
    db.close();
  });

  it('names the entry after one that was edited and re-hashed', () => {
    const db = openAuditDb();
    appendMany(db, 50);
    dropTriggers(db);
    tamper.editDetailAndRehash(db, 17);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 18,
      reason: expect.stringMatching(/entry 18 does not chain from entry 17/),
    });
    db.close();
  });

  it('names the entry after a deleted one', () => {
    const db = openAuditDb();
    appendMany(db, 50);
    dropTriggers(db);
    tamper.delete(db, 30);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 31,
      reason: expect.stringMatching(/entry 30 is missing/),
    });
    db.close();
  });

  it('names a deleted first entry', () => {
    const db = memoryAuditDb();
    appendMany(db, 5);
    dropTriggers(db);
    tamper.delete(db, 1);
    expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('names the first of two swapped entries', () => {
    const db = openAuditDb();
    appendMany(db, 50);
    dropTriggers(db);
    tamper.swap(db, 12, 40);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 12,
      reason: expect.stringMatching(/entry 12 does not chain from entry 11/),
    });
    db.close();
  });

  it('names the entry displaced by an inserted one, even a correctly chained forgery', () => {
    const db = openAuditDb();
    appendMany(db, 50);
    dropTriggers(db);
    tamper.insertChained(db, 20);
    expect(count(db)).toBe(51);
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 21,
      reason: expect.stringMatching(/entry 21 does not match its own hash/),
    });
    db.close();
  });

  it('names an entry appended behind a gap or with a made-up prev_hash', () => {
    const db = memoryAuditDb();
    appendMany(db, 10);
    dropTriggers(db);
    const fields = { ...row(db, 10), id: 11, prev_hash: '1'.repeat(64) };
    db.prepare(
      'INSERT INTO audit_log VALUES (@id, @at, @actor, @action, @subject_type, @subject_id, @detail_json, @lacrm_id, @prev_hash, @hash)',
    ).run({ ...fields, hash: auditEntryHash(fields) });
    expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 11 });
    db.prepare('DELETE FROM audit_log WHERE id = 11').run();
    const gap = { ...row(db, 10), id: 14, prev_hash: row(db, 10).hash };
    db.prepare(
      'INSERT INTO audit_log VALUES (@id, @at, @actor, @action, @subject_type, @subject_id, @detail_json, @lacrm_id, @prev_hash, @hash)',
    ).run({ ...gap, hash: auditEntryHash(gap) });
    expect(verifyAudit(db)).toMatchObject({
      ok: false,
      brokenAt: 14,
      reason: expect.stringMatching(/entries 11–13 are missing/),
    });
  });

  it('needs an anchor to catch a cut-off tail or a wholesale rewrite', () => {
    const db = openAuditDb();
    appendMany(db, 20);
    const verdict = verifyAudit(db);
    if (!verdict.ok) throw new Error('expected a clean log');
    const anchor = { id: verdict.entries, hash: verdict.headHash };
    expect(verifyAudit(db, { anchor }).ok).toBe(true);
    appendMany(db, 3);
    expect(verifyAudit(db, { anchor }).ok).toBe(true);
    dropTriggers(db);

    // Removing entries from the end leaves a valid chain; only the anchor shows it.
    tamper.delete(db, 23);
    tamper.delete(db, 22);
    tamper.delete(db, 21);
    tamper.delete(db, 20);
    expect(verifyAudit(db).ok).toBe(true);
    expect(verifyAudit(db, { anchor })).toMatchObject({
      ok: false,
      brokenAt: 20,
      reason: expect.stringMatching(/ends at entry 19/),
    });

    // Editing an entry and recomputing every hash after it also leaves a valid chain; an anchor
    // recorded before the rewrite (say, printed in last quarter's report) does not match.
    const recorded = { id: 19, hash: row(db, 19).hash };
    let previous = row(db, 4).hash;
    for (let id = 5; id <= count(db); id += 1) {
      const fields = { ...row(db, id), prev_hash: previous };
      if (id === 5) fields.detail_json = '{"rewritten":true}';
      const hash = auditEntryHash(fields);
      db.prepare('UPDATE audit_log SET detail_json = ?, prev_hash = ?, hash = ? WHERE id = ?').run(
        fields.detail_json,
        previous,
        hash,
        id,
      );
      previous = hash;
    }
    expect(verifyAudit(db).ok).toBe(true);
    expect(verifyAudit(db, { anchor: recorded })).toMatchObject({
      ok: false,
      brokenAt: 19,
      reason: expect.stringMatching(/differs from the recorded anchor/),
    });
    db.close();
  });

  it('finds the first broken entry for any tampering, anywhere (property)', () => {
    type Tamper =
      | { kind: 'edit'; at: number }
      | { kind: 'rehash'; at: number }
      | { kind: 'delete'; at: number }
      | { kind: 'swap'; at: number; with: number }
      | { kind: 'insert'; at: number };
    const scenario = fc.integer({ min: 3, max: 40 }).chain((entries) =>
      fc.tuple(
        fc.constant(entries),
        fc.oneof(
          fc.record({
            kind: fc.constant('edit' as const),
            at: fc.integer({ min: 1, max: entries }),
          }),
          fc.record({
            kind: fc.constant('rehash' as const),
            at: fc.integer({ min: 1, max: entries - 1 }),
          }),
          fc.record({
            kind: fc.constant('delete' as const),
            at: fc.integer({ min: 1, max: entries - 1 }),
          }),
          fc
            .tuple(fc.integer({ min: 1, max: entries - 1 }), fc.integer({ min: 1, max: entries }))
            .filter(([a, b]) => b > a)
            .map(([a, b]) => ({ kind: 'swap' as const, at: a, with: b })),
          fc.record({
            kind: fc.constant('insert' as const),
            at: fc.integer({ min: 1, max: entries }),
          }),
        ),
      ),
    );
    fc.assert(
      fc.property(scenario, ([entries, change]: [number, Tamper]) => {
        const db = memoryAuditDb();
        appendMany(db, entries);
        dropTriggers(db);
        let expected: number;
        switch (change.kind) {
          case 'edit':
            tamper.editDetail(db, change.at);
            expected = change.at;
            break;
          case 'rehash':
            tamper.editDetailAndRehash(db, change.at);
            expected = change.at + 1;
            break;
          case 'delete':
            tamper.delete(db, change.at);
            expected = change.at + 1;
            break;
          case 'swap':
            tamper.swap(db, change.at, change.with);
            expected = change.at;
            break;
          case 'insert':
            tamper.insertChained(db, change.at);
            expected = change.at + 1;
            break;
        }
        expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAt: expected });
        db.close();
      }),
      { numRuns: 150 },
    );
  });
});

describe('listAudit', () => {
  it('pages newest first and filters by action', () => {
    const db = memoryAuditDb();
    appendMany(db, 30);
    const first = listAudit(db, { limit: 10 });
    expect(first.map((entry) => entry.id)).toEqual([30, 29, 28, 27, 26, 25, 24, 23, 22, 21]);
    const second = listAudit(db, { limit: 10, beforeId: first.at(-1)!.id });
    expect(second[0]!.id).toBe(20);
    expect(second).toHaveLength(10);
    const approvals = listAudit(db, { limit: 100, action: 'change.approved' });
    expect(approvals.length).toBeGreaterThan(0);
    expect(approvals.every((entry) => entry.action === 'change.approved')).toBe(true);
    expect(approvals.map((entry) => entry.id)).toEqual([30, 26, 22, 18, 14, 10, 6, 2]);
    expect(first[0]).toMatchObject({
      actor: 'advisor',
      subjectType: 'change',
      subjectId: 'chg_30',
      detail: { index: 29, state: { from: 'proposed', to: 'approved' } },
      hash: row(db, 30).hash,
      prevHash: row(db, 29).hash,
    });
    expect(() => listAudit(db, { limit: 0 })).toThrow(/limit/);
    expect(listAudit(db)).toHaveLength(30);
  });

  it('shows a tampered detail as null instead of failing the list', () => {
    const db = memoryAuditDb();
    appendMany(db, 3);
    dropTriggers(db);
    db.prepare("UPDATE audit_log SET detail_json = 'not json' WHERE id = 2").run();
    expect(listAudit(db).find((entry) => entry.id === 2)?.detail).toBeNull();
  });
});

describe('exportAudit', () => {
  it('writes JSON lines an examiner can re-verify from the stated recipe alone', () => {
    const db = openAuditDb();
    appendMany(db, 25);
    const file = exportAudit(db, { exportedAt: '2026-03-01T12:00:00.000Z' });
    const lines = file.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(27);
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({
      type: 'cadence-audit-export',
      version: 1,
      hashScheme: 'cadence-audit/1',
      algorithm: 'sha256',
      genesis: AUDIT_GENESIS_HASH,
      exportedAt: '2026-03-01T12:00:00.000Z',
    });

    // An independent re-implementation, from the header's description only.
    let previous = header.genesis as string;
    const entries = lines.slice(1, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    entries.forEach((entry, index) => {
      expect(entry.id).toBe(index + 1);
      expect(entry.prev_hash).toBe(previous);
      const material = JSON.stringify([
        'cadence-audit/1',
        entry.id,
        entry.at,
        entry.actor,
        entry.action,
        entry.subject_type,
        entry.subject_id,
        entry.detail_json,
        entry.lacrm_id,
        entry.prev_hash,
      ]);
      const hash = createHash('sha256').update(material, 'utf8').digest('hex');
      expect(entry.hash).toBe(hash);
      previous = hash;
    });
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      type: 'end',
      entries: 25,
      headHash: previous,
      verified: true,
    });
    expect(verifyAuditExport(file)).toEqual({ ok: true, entries: 25, headHash: previous });
    db.close();
  });

  it('is caught when the file is edited, cut short or has an entry removed', () => {
    const db = memoryAuditDb();
    appendMany(db, 10);
    const text = exportAudit(db, { exportedAt: '2026-03-01T12:00:00.000Z' }).toString('utf8');
    const lines = text.trimEnd().split('\n');

    const edited = [...lines];
    edited[4] = edited[4]!.replace('"subject_id":"chg_4"', '"subject_id":"chg_99"');
    expect(edited[4]).not.toBe(lines[4]);
    expect(verifyAuditExport(edited.join('\n'))).toMatchObject({ ok: false, brokenAt: 4 });

    const withoutEnd = lines.slice(0, -3).join('\n');
    expect(verifyAuditExport(withoutEnd)).toMatchObject({ ok: false });

    const cutBeforeEnd = [...lines.slice(0, -3), lines.at(-1)!].join('\n');
    expect(verifyAuditExport(cutBeforeEnd)).toMatchObject({
      ok: false,
      brokenAt: 9,
      reason: expect.stringMatching(/end line records 10 entries .* the file holds 8 /),
    });

    const removed = [...lines.slice(0, 5), ...lines.slice(6)].join('\n');
    expect(verifyAuditExport(removed)).toMatchObject({ ok: false, brokenAt: 6 });

    const garbled = [...lines.slice(0, 3), '{nope', ...lines.slice(4)].join('\n');
    expect(verifyAuditExport(garbled)).toMatchObject({ ok: false, brokenAt: 3 });

    expect(verifyAuditExport('')).toMatchObject({ ok: false, brokenAt: 0 });
  });

  it('exports a broken log as it is and says where it breaks', () => {
    const db = memoryAuditDb();
    appendMany(db, 10);
    dropTriggers(db);
    tamper.editDetail(db, 7);
    const lines = exportAudit(db).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      type: 'end',
      entries: 10,
      verified: false,
      brokenAt: 7,
    });
    expect(verifyAuditExport(lines.join('\n'))).toMatchObject({ ok: false, brokenAt: 7 });
  });
});
