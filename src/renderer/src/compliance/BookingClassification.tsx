// "Why is this a review?": one booking's category, the rule that decided it and why, and the
// advisor's override (set, change, clear). Shown in the Bookings detail panel. An override is kept
// apart from the booking, so it survives every re-sync.
import { useState } from 'react';
import { categoryLabel } from '../../../shared/classification';
import type { BookingClassificationView } from '../../../shared/contract-metrics';
import { cadence, unwrap, useLoad } from '../api';
import { formatDateTime } from '../format';

export function BookingClassification({ bookingId }: { bookingId: number }) {
  const view = useLoad(
    () => cadence().classification.get({ bookingId }),
    [bookingId],
    ['app:changed', 'sync:finished', 'metrics:changed'],
  );
  const [editing, setEditing] = useState(false);
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = view.data;

  const run = (work: () => Promise<BookingClassificationView>) => {
    setBusy(true);
    setError(null);
    work()
      .then(() => {
        setEditing(false);
        view.reload();
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="classification-heading" data-testid="booking-classification">
      <h3 id="classification-heading">Classification</h3>
      {view.error && <p className="error-text">{view.error.message}</p>}
      {c && (
        <>
          <dl className="kv">
            <dt>Category</dt>
            <dd data-testid="classification-category">
              <strong>{categoryLabel(c.category)}</strong>{' '}
              {c.overridden ? (
                <span className="pill tiny warn">set by you</span>
              ) : (
                <span className="pill tiny">{c.ruleName ? 'by rule' : 'no rule matched'}</span>
              )}
            </dd>
            <dt>{c.overridden ? 'Override' : 'Rule'}</dt>
            <dd data-testid="classification-rule">
              {c.overridden ? 'Your choice for this meeting' : (c.ruleName ?? 'None')}
            </dd>
            <dt>Why</dt>
            <dd data-testid="classification-reason">{c.reason}</dd>
            {c.overridden && (
              <>
                <dt>Rules say</dt>
                <dd data-testid="classification-automatic">
                  {categoryLabel(c.automatic.category)}
                  {c.automatic.ruleName ? ` (rule “${c.automatic.ruleName}”)` : ''}:{' '}
                  <span className="muted">{c.automatic.reason}</span>
                </dd>
              </>
            )}
            <dt>Classified</dt>
            <dd className="muted small">
              {formatDateTime(c.classifiedAt)} with rules version {c.rulesVersion}
            </dd>
          </dl>
          {editing ? (
            <form
              className="override-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (!category) return;
                run(() =>
                  unwrap(
                    cadence().classification.override({
                      bookingId,
                      category,
                      note: note.trim() || null,
                    }),
                  ),
                );
              }}
            >
              <label className="inline">
                Category{' '}
                <select
                  value={category}
                  onChange={(e) => setCategory(e.target.value)}
                  data-testid="override-category"
                  required
                >
                  <option value="">Choose…</option>
                  {c.categories.map((option) => (
                    <option key={option} value={option}>
                      {categoryLabel(option)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline">
                Note (optional){' '}
                <input
                  value={note}
                  maxLength={500}
                  onChange={(e) => setNote(e.target.value)}
                  placeholder="Why, for your records"
                  data-testid="override-note"
                />
              </label>
              <div className="row">
                <button
                  type="submit"
                  className="primary"
                  disabled={busy || !category}
                  data-testid="override-save"
                >
                  Save override
                </button>
                <button type="button" onClick={() => setEditing(false)} disabled={busy}>
                  Cancel
                </button>
              </div>
            </form>
          ) : (
            <div className="row" style={{ marginTop: 8 }}>
              <button
                onClick={() => {
                  setCategory(c.category === 'portfolio_review' ? 'general' : 'portfolio_review');
                  setNote(c.override?.note ?? '');
                  setEditing(true);
                }}
                data-testid="override-open"
              >
                {c.overridden ? 'Change override' : 'Override category'}
              </button>
              {c.overridden && (
                <button
                  onClick={() =>
                    run(() => unwrap(cadence().classification.clearOverride({ bookingId })))
                  }
                  disabled={busy}
                  data-testid="override-clear"
                >
                  Clear override
                </button>
              )}
            </div>
          )}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
