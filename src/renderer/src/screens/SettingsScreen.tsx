// Settings: the data folder, the database and keychain state, which secrets are configured.
import { secretNames, sourceLabels, type SyncSource } from '../../../shared/domain';
import { cadence, useLoad } from '../api';
import { ErrorNote, ScreenHeader } from '../components/Empty';
import { SourcesCard } from '../components/SourcesCard';
import { CrmFieldsCard } from '../changes/CrmFieldsCard';
import { WebhooksCard } from '../components/WebhooksCard';

const dbStateText: Record<string, string> = {
  open: 'Encrypted and open',
  memory: 'In memory only (not saved)',
  wrong_key: 'Cannot be decrypted with the stored key',
  corrupt: 'Damaged',
  from_future: 'From a newer version of Cadence',
  key_missing: 'Encryption key missing',
};

export function SettingsScreen() {
  const status = useLoad(() => cadence().app.status(), []);
  const s = status.data;
  return (
    <>
      <ScreenHeader
        title="Settings"
        subtitle="Where your data lives, and the accounts Cadence can reach."
      />
      <ErrorNote error={status.error} />
      <SourcesCard />
      <CrmFieldsCard />
      <WebhooksCard />
      <section className="card" aria-labelledby="storage-heading">
        <h2 id="storage-heading">Storage</h2>
        <dl className="kv">
          <dt>Data folder</dt>
          <dd className="mono" data-testid="data-folder">
            {s?.dataDir ?? '…'}
          </dd>
          <dt>Database</dt>
          <dd data-testid="db-state">
            {s ? (
              <span
                className={`pill ${s.db.state === 'open' ? 'ok' : s.db.state === 'memory' ? 'warn' : 'danger'}`}
              >
                {dbStateText[s.db.state] ?? s.db.state}
              </span>
            ) : (
              '…'
            )}
            {s?.db.message && <p className="muted">{s.db.message}</p>}
          </dd>
          <dt>System keychain</dt>
          <dd data-testid="keychain-state">
            {s ? (
              <span className={`pill ${s.keychain.available ? 'ok' : 'warn'}`}>
                {s.keychain.available ? 'Available' : 'Unavailable'}
              </span>
            ) : (
              '…'
            )}
            {s?.keychain.message && <p className="muted">{s.keychain.message}</p>}
          </dd>
          <dt>Version</dt>
          <dd>{s?.version ?? '…'}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="secrets-heading">
        <h2 id="secrets-heading">Keys in the keychain</h2>
        <p className="muted">
          Keys are kept in your system keychain. Cadence never shows them again, here or anywhere
          else.
        </p>
        <table className="data" data-testid="secrets-table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Key</th>
              <th scope="col">Last verified</th>
            </tr>
          </thead>
          <tbody>
            {secretNames.map((name) => {
              const secret = s?.secrets[name];
              const label =
                name in sourceLabels
                  ? sourceLabels[name as SyncSource]
                  : `${sourceLabels[name.replace('-webhook', '') as SyncSource] ?? name} webhook signing secret`;
              return (
                <tr key={name} data-testid={`secret-${name}`}>
                  <td>{label}</td>
                  <td>
                    {secret?.configured ? (
                      <span className="pill ok">
                        Configured{secret.account ? ` · ${secret.account}` : ''}
                      </span>
                    ) : (
                      <span className="pill">Not set</span>
                    )}
                  </td>
                  <td className="muted">
                    {secret?.verifiedAt ? new Date(secret.verifiedAt).toLocaleString() : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
