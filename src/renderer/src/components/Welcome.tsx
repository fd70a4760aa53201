// First run: connect real accounts, or try a demo practice that runs entirely on this laptop.
import { useState } from 'react';
import { cadence, unwrap } from '../api';
import type { Navigate } from '../navigation';

export function Welcome({ navigate }: { navigate: Navigate }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="welcome card" data-testid="welcome">
      <h2>Welcome to Cadence</h2>
      <p className="muted">
        Cadence pulls your client meetings from Cal.com, Calendly and TidyCal, matches them to your
        contacts in Less Annoying CRM and shows who is due for a portfolio review. Everything stays
        on this laptop, encrypted.
      </p>
      <div className="welcome-choices">
        <div>
          <h3>Connect your accounts</h3>
          <p className="muted small">
            Paste an API key for each tool you use. Cadence checks it and keeps it in your system
            keychain.
          </p>
          <button
            className="primary"
            onClick={() => navigate('settings')}
            data-testid="welcome-connect"
          >
            Connect your accounts
          </button>
        </div>
        <div>
          <h3>Try a demo practice</h3>
          <p className="muted small">
            About 200 invented contacts (clients, prospects and the professionals they work with)
            and two years of meetings, served by simulated accounts on this laptop. Clearly marked
            DEMO, kept apart from your own data, and you can reset or leave it at any time.
          </p>
          <button
            disabled={busy}
            onClick={() => {
              setBusy(true);
              setError(null);
              unwrap(cadence().demo.start())
                .catch((e: Error) => setError(e.message))
                .finally(() => setBusy(false));
            }}
            data-testid="welcome-demo"
          >
            {busy ? 'Starting the demo…' : 'Try a demo practice'}
          </button>
        </div>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function DemoBanner() {
  const [busy, setBusy] = useState<null | 'reset' | 'exit'>(null);
  const run = (kind: 'reset' | 'exit') => {
    if (
      kind === 'reset' &&
      !window.confirm(
        'Reset the demo practice? Its data is deleted and generated afresh. Your own data is not touched.',
      )
    )
      return;
    setBusy(kind);
    void unwrap(kind === 'reset' ? cadence().demo.reset() : cadence().demo.exit()).finally(() =>
      setBusy(null),
    );
  };
  return (
    <div className="banner demo row" role="status" data-testid="demo-banner">
      <span>DEMO PRACTICE — invented clients and simulated accounts. Nothing here is real.</span>
      <span className="grow" />
      <button
        className="banner-button"
        disabled={busy !== null}
        onClick={() => run('reset')}
        data-testid="demo-reset"
      >
        {busy === 'reset' ? 'Resetting…' : 'Reset demo'}
      </button>
      <button
        className="banner-button"
        disabled={busy !== null}
        onClick={() => run('exit')}
        data-testid="demo-exit"
      >
        {busy === 'exit' ? 'Leaving…' : 'Leave demo'}
      </button>
    </div>
  );
}
