// What Cadence knows about each secret besides its value: the account it belongs to and when it was
// last verified. The values themselves live only in the keychain.
import type { SecretName } from '../../../shared/domain';
import type { Db } from '../open';

export type SecretMeta = Readonly<{
  account: string | null;
  verifiedAt: string | null;
  ownEmails: readonly string[];
}>;

export function readSecretMeta(db: Db): Map<SecretName, SecretMeta> {
  const rows = db
    .prepare('SELECT name, account, verified_at, own_emails_json FROM secret_meta')
    .all() as {
    name: SecretName;
    account: string | null;
    verified_at: string | null;
    own_emails_json: string;
  }[];
  return new Map(
    rows.map((r) => [
      r.name,
      {
        account: r.account,
        verifiedAt: r.verified_at,
        ownEmails: JSON.parse(r.own_emails_json) as string[],
      },
    ]),
  );
}

export function writeSecretMeta(db: Db, name: SecretName, meta: SecretMeta, now: Date): void {
  db.prepare(
    `INSERT INTO secret_meta (name, account, verified_at, own_emails_json, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET account = excluded.account, verified_at = excluded.verified_at,
       own_emails_json = excluded.own_emails_json, updated_at = excluded.updated_at`,
  ).run(name, meta.account, meta.verifiedAt, JSON.stringify(meta.ownEmails), now.toISOString());
}

export function deleteSecretMeta(db: Db, name: SecretName): void {
  db.prepare('DELETE FROM secret_meta WHERE name = ?').run(name);
}
