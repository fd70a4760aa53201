// The encrypted store on disk: keys, plaintext, typed open errors, migrations.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import { DbCorruptError, DbFromFutureError, WrongKeyError } from './errors';
import { latestVersion, migrate, migrations } from './migrations';
import { keyCheck, openDatabase } from './open';

const newKey = () => randomBytes(32).toString('hex');
const EMAIL = 'jane.known-address@example.org';

describe('openDatabase', () => {
  it('refuses the wrong key with WrongKeyError', () => {
    const file = join(tempDir(), 'c.db');
    const key = newKey();
    openDatabase({ file, keyHex: key }).close();
    expect(() => openDatabase({ file, keyHex: newKey() })).toThrow(WrongKeyError);
    expect(() => openDatabase({ file, keyHex: newKey(), expectedKeyCheck: keyCheck(key) })).toThrow(
      WrongKeyError,
    );
    openDatabase({ file, keyHex: key }).close();
  });

  it('keeps no plaintext in the file or its WAL after writing a known email address', () => {
    const dir = tempDir();
    const file = join(dir, 'c.db');
    const db = openDatabase({ file, keyHex: newKey() });
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('probe', ?, 'now')").run(
      JSON.stringify(EMAIL),
    );
    // Before checkpointing, the write sits in the WAL: check it there too.
    expect(existsSync(`${file}-wal`)).toBe(true);
    const walWhileOpen = readFileSync(`${file}-wal`);
    expect(walWhileOpen.length).toBeGreaterThan(0);
    expect(walWhileOpen.includes(EMAIL)).toBe(false);
    db.close();
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes(EMAIL), path).toBe(false);
      expect(bytes.includes(Buffer.from(EMAIL, 'utf16le')), path).toBe(false);
      expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    }
  });

  it('opens in WAL mode with foreign keys, in-memory temp storage and a large page cache', () => {
    const db = openDatabase({ file: join(tempDir(), 'c.db'), keyHex: newKey() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    // 128 MiB of decrypted pages: large practices read their reports from memory, not the disk.
    expect(db.pragma('cache_size', { simple: true })).toBe(-131072);
    expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    db.close();
  });

  it('tells a damaged file from a wrong key when the key check matches', () => {
    const file = join(tempDir(), 'c.db');
    const key = newKey();
    openDatabase({ file, keyHex: key }).close();
    const bytes = readFileSync(file);
    bytes.fill(0x41, 0, 4096); // scramble page 1
    writeFileSync(file, bytes);
    expect(() => openDatabase({ file, keyHex: key, expectedKeyCheck: keyCheck(key) })).toThrow(
      DbCorruptError,
    );
  });

  it('refuses an unencrypted SQLite file as not written by Cadence', () => {
    const file = join(tempDir(), 'plain.db');
    const plain = new Database(file);
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    expect(() => openDatabase({ file, keyHex: newKey() })).toThrow(DbCorruptError);
  });

  it('refuses a database from a newer version without changing it', () => {
    const file = join(tempDir(), 'c.db');
    const key = newKey();
    const db = openDatabase({ file, keyHex: key });
    db.pragma(`user_version = ${latestVersion + 10}`);
    db.close();
    const before = readFileSync(file);
    expect(() => openDatabase({ file, keyHex: key })).toThrow(DbFromFutureError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('migrations', () => {
  it('are numbered in steps, strictly increasing', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.every((v) => v % 10 === 0)).toBe(true);
  });

  it('apply all pending steps in one transaction and record user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(latestVersion);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(migrate(db)).toBe(latestVersion); // idempotent
    db.close();
  });

  it('roll back every step if one fails', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE settings (x)'); // 0010 will collide with this
    expect(() => migrate(db)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'secret_meta'").get(),
    ).toEqual({ n: 0 });
    db.close();
  });

  it('0010 creates settings and secret metadata that hold rows', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    db.prepare("INSERT INTO settings VALUES ('a', '1', 'now')").run();
    db.prepare("INSERT INTO secret_meta VALUES ('calcom', 'Jane', 'now', 'now')").run();
    expect(db.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 1 });
    db.close();
  });
});
