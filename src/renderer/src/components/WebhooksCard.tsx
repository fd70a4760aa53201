// Settings → Real-time updates: the local webhook receiver, what to paste into Cal.com, Calendly
// subscriptions, and delivery health per source. Webhooks are hints; the sync stays the truth.
import { useState } from 'react';
import { PublicUrl, type CalendlySubscription } from '../../../shared/contract-webhooks';
import { sourceLabels } from '../../../shared/domain';
import { cadence, unwrap, useLoad } from '../api';
import { formatRelative } from '../format';

export function WebhooksCard() {
  const status = useLoad(() => cadence().webhooks.status(), []);
  const [port, setPort] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [calcomSecret, setCalcomSecret] = useState<string | null>(null);
  const s = status.data;

  const run = async (work: () => Promise<string | void>) => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await work();
      if (text) setMessage({ kind: 'ok', text });
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="webhooks-heading" data-testid="webhooks-card">
      <h2 id="webhooks-heading">Real-time updates</h2>
      <p className="muted">
        Optional. Cal.com and Calendly can tell Cadence about a change the moment it happens;
        Cadence then re-reads that booking. Webhooks are hints — they can be late or missing — so
        Sync now stays the truth. TidyCal has no webhooks. The receiver listens on this computer
        only; to reach it from the internet, point a tunnel of your own (for example Cloudflare
        Tunnel or ngrok) at its address.
      </p>
      {status.error && <p className="error-text">{status.error.message}</p>}
      {s && (
        <>
          <div className="row">
            <label className="inline-check">
              <input
                type="checkbox"
                checked={s.enabled}
                disabled={busy}
                onChange={(e) => {
                  // Read now: after the await, React has put the controlled box back as it was.
                  const enabled = e.target.checked;
                  void run(async () => {
                    const next = await unwrap(cadence().webhooks.configure({ enabled }));
                    status.reload();
                    if (!enabled) return 'The receiver is off.';
                    return next.running
                      ? `The receiver is on, listening on ${next.url ?? 'this computer'}.`
                      : 'Webhooks are switched on, but the receiver did not start (see why above).';
                  });
                }}
                data-testid="webhooks-enabled"
              />
              Receive webhooks
            </label>
            <span className={`pill ${s.running ? 'ok' : ''}`} data-testid="webhooks-state">
              {s.running ? `Listening on ${s.url}` : 'Off'}
            </span>
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                const n = Number(port);
                if (!Number.isInteger(n) || n < 1024 || n > 65535) {
                  setMessage({
                    kind: 'error',
                    text: 'The port must be a whole number between 1024 and 65535.',
                  });
                  return;
                }
                void run(async () => {
                  await unwrap(cadence().webhooks.configure({ enabled: s.enabled, port: n }));
                  setPort('');
                  return `The receiver port is now ${n}.`;
                });
              }}
            >
              <label htmlFor="webhooks-port" className="visually-hidden">
                Receiver port
              </label>
              <input
                id="webhooks-port"
                className="port-input"
                inputMode="numeric"
                placeholder={String(s.port)}
                value={port}
                onChange={(e) => setPort(e.target.value)}
              />
              <button type="submit" disabled={busy || !port}>
                Change port
              </button>
            </form>
          </div>
          {s.error && (
            <p className="error-text" role="alert">
              {s.error}
            </p>
          )}

          <h3 className="subhead">Cal.com</h3>
          <p className="small">
            In Cal.com: Settings → Developer → Webhooks → New. Subscriber URL:{' '}
            <code>https://&lt;your tunnel&gt;{s.routes.calcom}</code>, the booking triggers, no
            custom payload template, and this secret:
          </p>
          <div className="row">
            {calcomSecret ? (
              <code className="secret-once" data-testid="calcom-secret">
                {calcomSecret}
              </code>
            ) : (
              <span className={`pill ${s.secrets.calcom ? 'ok' : ''}`}>
                {s.secrets.calcom ? 'Secret set' : 'No secret yet'}
              </span>
            )}
            <button
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const r = await unwrap(cadence().webhooks.newCalcomSecret());
                  setCalcomSecret(r.secret);
                  return 'Paste this secret into Cal.com now; Cadence keeps it in your keychain and will not show it again.';
                })
              }
              data-testid="calcom-secret-new"
            >
              {s.secrets.calcom ? 'Make a new secret' : 'Make a secret'}
            </button>
          </div>

          <CalendlySubscriptions
            disabled={busy}
            onMessage={setMessage}
            routesCalendly={s.routes.calendly}
          />

          <h3 className="subhead">Delivery health</h3>
          <table className="data" data-testid="webhooks-health">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Last delivery</th>
                <th scope="col">Last 24 hours</th>
                <th scope="col">Found by the last sync</th>
                <th scope="col">Verified through</th>
              </tr>
            </thead>
            <tbody>
              {s.health.map((h) => (
                <tr key={h.source} data-testid={`webhooks-health-${h.source}`}>
                  <td>{sourceLabels[h.source]}</td>
                  <td>
                    {h.supportsWebhooks ? (
                      formatRelative(h.lastDeliveryAt)
                    ) : (
                      <span className="muted">no webhooks</span>
                    )}
                  </td>
                  <td>
                    {h.supportsWebhooks ? (
                      <>
                        {h.deliveries24h} received
                        {h.rejected24h > 0 ? (
                          <span className="error-text">, {h.rejected24h} refused</span>
                        ) : (
                          ''
                        )}
                        {h.failedHints24h > 0 ? (
                          <span className="muted">, {h.failedHints24h} re-reads failed</span>
                        ) : (
                          ''
                        )}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {h.changesWithoutWebhook === null
                      ? '—'
                      : h.supportsWebhooks
                        ? h.changesWithoutWebhook === 0
                          ? 'nothing webhooks missed'
                          : `${h.changesWithoutWebhook} change${h.changesWithoutWebhook === 1 ? '' : 's'} arrived without a webhook`
                        : `${h.changesFoundByLastSync ?? 0} changes`}
                  </td>
                  <td>
                    {h.verifiedThrough ? (
                      formatRelative(h.verifiedThrough)
                    ) : (
                      <span className="muted">no complete sync yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {message && (
        <p
          className={message.kind === 'error' ? 'error-text' : 'ok-text'}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="webhooks-message"
        >
          {message.text}
        </p>
      )}
    </section>
  );
}

function CalendlySubscriptions(props: {
  disabled: boolean;
  onMessage: (m: { kind: 'ok' | 'error'; text: string }) => void;
  routesCalendly: string;
}) {
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState('');
  // A callback URL Calendly would not take is said next to the field, before anything is asked.
  const [urlProblem, setUrlProblem] = useState<string | null>(null);
  const list = useLoad(
    async () =>
      open
        ? cadence().webhooks.calendlyList()
        : { ok: true as const, value: [] as CalendlySubscription[] },
    [open],
  );
  const act = async (work: () => Promise<string>) => {
    try {
      props.onMessage({ kind: 'ok', text: await work() });
      list.reload();
    } catch (e) {
      props.onMessage({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <>
      <h3 className="subhead">Calendly</h3>
      <p className="small">
        Cadence creates the subscription for you with a signing key it generates and keeps in your
        keychain (Calendly webhooks need a paid plan). Callback URL:{' '}
        <code>https://&lt;your tunnel&gt;{props.routesCalendly}</code>.
      </p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const checked = PublicUrl.safeParse(url);
          if (!checked.success) {
            setUrlProblem(
              `The callback URL ${checked.error.issues[0]?.message ?? 'is not a URL'}.`,
            );
            return;
          }
          setUrlProblem(null);
          void act(async () => {
            const created = await unwrap(
              cadence().webhooks.calendlySubscribe({ url: checked.data }),
            );
            setUrl('');
            setOpen(true);
            return `Subscribed: Calendly will deliver to ${created.callbackUrl}.`;
          });
        }}
      >
        <label htmlFor="calendly-callback" className="visually-hidden">
          Calendly callback URL
        </label>
        <input
          id="calendly-callback"
          className="url-input"
          placeholder={`https://my-tunnel.example.com${props.routesCalendly}`}
          value={url}
          onChange={(e) => {
            setUrl(e.target.value);
            setUrlProblem(null);
          }}
          aria-invalid={urlProblem !== null}
          aria-describedby={urlProblem === null ? undefined : 'calendly-callback-problem'}
        />
        <button type="submit" disabled={props.disabled || !url.trim()}>
          Subscribe
        </button>
        <button type="button" onClick={() => (open ? list.reload() : setOpen(true))}>
          {open ? 'Refresh list' : 'Show subscriptions'}
        </button>
      </form>
      {urlProblem && (
        <p
          id="calendly-callback-problem"
          className="error-text"
          role="alert"
          data-testid="calendly-callback-problem"
        >
          {urlProblem}
        </p>
      )}
      {open && list.error && <p className="error-text">{list.error.message}</p>}
      {open && list.data && (
        <ul className="plain subscriptions" data-testid="calendly-subscriptions">
          {list.data.length === 0 && <li className="muted">No subscriptions.</li>}
          {list.data.map((sub) => (
            <li key={sub.uri} className="row">
              <span className={`pill ${sub.state === 'active' ? 'ok' : 'danger'}`}>
                {sub.state}
              </span>
              <code>{sub.callbackUrl}</code>
              {sub.retryStartedAt && (
                <span className="error-text small">
                  failing since {formatRelative(sub.retryStartedAt)}
                </span>
              )}
              <button
                className="danger"
                onClick={() =>
                  void act(async () => {
                    await unwrap(cadence().webhooks.calendlyDelete({ uri: sub.uri }));
                    return 'Deleted the subscription.';
                  })
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
