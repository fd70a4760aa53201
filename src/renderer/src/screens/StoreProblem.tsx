// Shown instead of the app when the encrypted store cannot be opened. It explains what happened and
// what to do; it never offers to delete data.
import { useState } from 'react';
import type { AppStatus } from '../../../shared/contract';

const titles: Record<string, string> = {
  wrong_key: 'Cadence cannot decrypt your data',
  corrupt: 'Your Cadence data file is damaged',
  from_future: 'This data needs a newer Cadence',
  key_missing: 'The encryption key is missing',
};

const advice: Record<string, string> = {
  wrong_key:
    'The key in your system keychain does not match this data folder. If you restored the keychain or moved the folder, restore the matching "Cadence" keychain entry. Your data has not been changed.',
  corrupt:
    'The file could not be read. Restore the data folder from your backup. Cadence has not changed or deleted anything.',
  from_future:
    'A newer version of Cadence wrote this data. Install the latest version to open it. Cadence has not changed anything.',
  key_missing:
    'The data folder exists but its key is not in the keychain. Restore the "Cadence" entry in your keychain (for example from a backup). Your data has not been changed.',
};

export function StoreProblem({ status }: { status: AppStatus }) {
  const [copied, setCopied] = useState(false);
  const details = `Cadence ${status.version}\nData folder: ${status.dataDir}\nState: ${status.db.state}\n${status.db.message ?? ''}`;
  return (
    <main className="fatal" data-testid="store-problem" role="alert">
      <h1>{titles[status.db.state] ?? 'Cadence cannot open your data'}</h1>
      <p>{advice[status.db.state]}</p>
      <p className="muted">{status.db.message}</p>
      <dl className="kv card">
        <dt>Data folder</dt>
        <dd className="mono">{status.dataDir}</dd>
      </dl>
      <button
        className="primary"
        onClick={() => {
          void navigator.clipboard?.writeText(details).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy error details'}
      </button>
    </main>
  );
}
