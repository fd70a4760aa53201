// Settings → Sources: paste a key, Cadence verifies it with a real call, stores it in the keychain
// (the window never gets it back) and shows the account name and when it was last verified.
import { useState } from 'react';
import type { SourceAccount } from '../../../shared/contract';
import { sourceLabels, type SyncSource } from '../../../shared/domain';
import type { SettingKey } from '../../../shared/settings';
import { withoutSourcesPointer } from '../../../shared/sync-errors';
import { ApiError, cadence, unwrap, useLoad } from '../api';
import { formatRelative } from '../format';

const keyHints: Record<SyncSource, string> = {
  calcom: 'Cal.com → Settings → Developer → API keys (starts with cal_live_).',
  calendly: 'Calendly → Integrations → API & Webhooks → Personal access token.',
  tidycal: 'TidyCal → Integrations → API → personal access token.',
  lacrm: 'Less Annoying CRM → Settings → Programmer API → API key.',
};

const baseUrlKeys: Record<SyncSource, SettingKey> = {
  calcom: 'sources.calcom.baseUrl',
  calendly: 'sources.calendly.baseUrl',
  tidycal: 'sources.tidycal.baseUrl',
  lacrm: 'lacrm.baseUrl',
};

function SourceRow({ account }: { account: SourceAccount }) {
  const { source } = account;
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(account.baseUrl);
  const [busy, setBusy] = useState<null | 'connect' | 'verify' | 'disconnect' | 'url'>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const label = sourceLabels[source];
  const inputId = `key-${source}`;

  const act = async (kind: NonNullable<typeof busy>, run: () => Promise<string>) => {
    setBusy(kind);
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await run() });
    } catch (e) {
      setMessage({ kind: 'error', text: withoutSourcesPointer((e as Error).message) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="source-row" data-testid={`source-${source}`}>
      <div className="source-head">
        <h3>{label}</h3>
        {account.configured && account.keyRefused ? (
          <span className="pill danger" data-testid={`source-${source}-state`}>
            Key refused · {formatRelative(account.keyRefused.at)}
          </span>
        ) : account.configured ? (
          <span className="pill ok" data-testid={`source-${source}-state`}>
            Connected{account.account ? ` · ${account.account}` : ''}
          </span>
        ) : (
          <span className="pill" data-testid={`source-${source}-state`}>
            Not connected
          </span>
        )}
        {account.verifiedAt && (
          <span className="muted small">
            {account.keyRefused ? 'last worked' : 'verified'} {formatRelative(account.verifiedAt)}
          </span>
        )}
      </div>
      {account.configured && account.keyRefused && (
        <p className="error-text small" data-testid={`source-${source}-refused`}>
          Paste a new key below. {withoutSourcesPointer(account.keyRefused.message)}
        </p>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!key.trim()) return;
          void act('connect', async () => {
            try {
              const result = await unwrap(cadence().sources.connect({ source, key }));
              setKey('');
              return `Connected to ${result.account ?? label}. The key is in your system keychain.`;
            } catch (e) {
              // A key is kept only once it has worked: say that this one was not, and what is used.
              const kept = account.configured ? ' Cadence keeps using the key it had.' : '';
              throw new Error(`This key was not saved. ${(e as Error).message}${kept}`, {
                cause: e,
              });
            }
          });
        }}
      >
        <label htmlFor={inputId} className="visually-hidden">
          {label} API key
        </label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={account.configured ? 'Paste a new key to replace it' : 'Paste your API key'}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          className="key-input"
          data-testid={`source-${source}-key`}
        />
        <button
          type="submit"
          className="primary"
          disabled={!key.trim() || busy !== null}
          data-testid={`source-${source}-connect`}
        >
          {busy === 'connect' ? 'Checking…' : account.configured ? 'Replace key' : 'Connect'}
        </button>
        {account.configured && (
          <>
            <button
              type="button"
              disabled={busy !== null}
              onClick={() =>
                void act('verify', async () => {
                  try {
                    const r = await unwrap(cadence().sources.verify({ source }));
                    return `The key works${r.account ? ` (${r.account})` : ''}.`;
                  } catch (e) {
                    // The row itself says refused, in the service's words; do not repeat them.
                    if (e instanceof ApiError && e.code === 'auth_failed')
                      throw new Error(`Checked again: ${label} still refuses this key.`, {
                        cause: e,
                      });
                    throw e;
                  }
                })
              }
            >
              {busy === 'verify' ? 'Checking…' : 'Check again'}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy !== null}
              onClick={() =>
                void act('disconnect', async () => {
                  await unwrap(cadence().sources.disconnect({ source }));
                  return 'Disconnected; the key was removed from the keychain. Synced bookings are kept.';
                })
              }
            >
              Disconnect
            </button>
          </>
        )}
      </form>
      <p className="hint muted small">{keyHints[source]}</p>
      <details className="advanced">
        <summary>API address</summary>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act('url', async () => {
              await unwrap(cadence().settings.set({ [baseUrlKeys[source]]: baseUrl.trim() }));
              return 'Saved the API address.';
            });
          }}
        >
          <label htmlFor={`url-${source}`} className="visually-hidden">
            {label} API address
          </label>
          <input
            id={`url-${source}`}
            className="url-input"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            data-testid={`source-${source}-url`}
          />
          <button type="submit" disabled={busy !== null || baseUrl.trim() === account.baseUrl}>
            Save
          </button>
        </form>
        <p className="hint muted small">
          {source === 'calcom'
            ? 'For self-hosted Cal.com or the EU instance (https://api.cal.eu/v2). Include the version path.'
            : 'Only change this if your support contact asks you to.'}
        </p>
      </details>
      {message && (
        <p
          className={message.kind === 'error' ? 'error-text' : 'ok-text'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid={`source-${source}-message`}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}

export function SourcesCard() {
  const sources = useLoad(() => cadence().sources.list(), []);
  return (
    <section className="card" aria-labelledby="sources-heading" data-testid="sources-card">
      <h2 id="sources-heading">Sources</h2>
      <p className="muted">
        Paste a key and Cadence checks it with a real call before keeping it in your system
        keychain. Keys are never shown again, here or anywhere else.
      </p>
      {sources.error && <p className="error-text">{sources.error.message}</p>}
      {sources.data?.map((account) => (
        <SourceRow key={account.source} account={account} />
      ))}
    </section>
  );
}
