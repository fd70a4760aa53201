// What Cadence knows about each secret besides its value: the account it belongs to and when it was
// last verified. The values themselves live only in the keychain.
import type { SecretName } from '../../../shared/domain';
import type { Db } from '../open';

export type SecretMeta = Readonly<{ account: string | null; verifiedAt: string | null }>;

export function readSecretMeta(db: Db): Map<SecretName, SecretMeta> {
  const rows = db.prepare('SELECT name, account, verified_at FROM secret_meta').all() as {
    name: SecretName;
    account: string | null;
    verified_at: string | null;
  }[];
  return new Map(rows.map((r) => [r.name, { account: r.account, verifiedAt: r.verified_at }]));
}

export function writeSecretMeta(db: Db, name: SecretName, meta: SecretMeta, now: Date): void {
  db.prepare(
    `INSERT INTO secret_meta (name, account, verified_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET account = excluded.account, verified_at = excluded.verified_at,
       updated_at = excluded.updated_at`,
  ).run(name, meta.account, meta.verifiedAt, now.toISOString());
}

export function deleteSecretMeta(db: Db, name: SecretName): void {
  db.prepare('DELETE FROM secret_meta WHERE name = ?').run(name);
}
