import { describe, expect, it } from 'vitest';
import {
  failedSourceText,
  failureNextStep,
  waitPurpose,
  withoutSourcesPointer,
} from './sync-errors';

describe('withoutSourcesPointer', () => {
  it('drops the pointer to Settings → Sources from each service’s refusal', () => {
    expect(
      withoutSourcesPointer(
        'Cal.com GET /bookings: Cal.com refused the API key. Check that it is a current v2 key (cal_live_…) and paste it again in Settings → Sources.',
      ),
    ).toBe(
      'Cal.com GET /bookings: Cal.com refused the API key. Check that it is a current v2 key (cal_live_…).',
    );
    expect(
      withoutSourcesPointer(
        'TidyCal refused the API token. Create a new personal access token in TidyCal and paste it again in Settings → Sources.',
      ),
    ).toBe('TidyCal refused the API token. Create a new personal access token in TidyCal.');
    expect(
      withoutSourcesPointer(
        'Calendly refused the access token. Create a new personal access token (Integrations → API & Webhooks) and paste it again in Settings → Sources.',
      ),
    ).toBe(
      'Calendly refused the access token. Create a new personal access token (Integrations → API & Webhooks).',
    );
  });

  it('leaves other messages as they were', () => {
    const m = 'Cal.com GET /bookings: the service had an internal error (HTTP 503)';
    expect(withoutSourcesPointer(m)).toBe(m);
  });
});

describe('waitPurpose', () => {
  it('says a retry after a server error apart from a rate-limit wait', () => {
    expect(waitPurpose('retry')).toBe('to try again after a server error');
    expect(waitPurpose('rate_limit')).toBe('for the rate limit');
    expect(waitPurpose(undefined)).toBe('for the rate limit');
  });
});

describe('failedSourceText', () => {
  it('adds what was kept and what to do next, by the kind of failure', () => {
    expect(
      failedSourceText(
        {
          code: 'remote_error',
          message: 'Cal.com GET /bookings: the service had an internal error (HTTP 503)',
        },
        'calcom',
        250,
      ),
    ).toBe(
      "The service had an internal error (HTTP 503). 250 bookings fetched before are kept. The fault is on Cal.com's side: sync again later. Failed call: GET /bookings.",
    );
    expect(
      failedSourceText(
        { code: 'network', message: 'TidyCal GET /api/bookings: could not connect (ENOTFOUND)' },
        'tidycal',
        1,
      ),
    ).toBe(
      'Could not connect (ENOTFOUND). 1 booking fetched before is kept. Check that this computer is online, then sync again. Failed call: GET /api/bookings.',
    );
    expect(failedSourceText({ code: 'rate_limited', message: 'x.' }, 'calendly', 0)).toBe(
      'X. Calendly is still limiting requests: sync again in a few minutes.',
    );
    expect(failedSourceText({ code: 'schema_mismatch', message: 'y' }, 'lacrm')).toContain(
      'logs/cadence.log in the data folder',
    );
    // LACRM's calls are functions, not paths.
    expect(
      failedSourceText(
        {
          code: 'remote_error',
          message:
            'Less Annoying CRM GetContacts: LACRM had an internal error (HTTP 500): x (error code e1)',
        },
        'lacrm',
      ),
    ).toBe(
      "LACRM had an internal error (HTTP 500): x (error code e1). The fault is on Less Annoying CRM's side: sync again later. Failed call: GetContacts.",
    );
  });

  it('adds nothing to a refused key (its message says what to do) or an unknown failure', () => {
    const refused = 'Cal.com refused the API key. Paste a new one in Settings → Sources.';
    expect(failedSourceText({ code: 'auth_failed', message: refused }, 'calcom')).toBe(refused);
    expect(
      failedSourceText({ code: 'auth_failed', message: `Cal.com GET /me: ${refused}` }, 'calcom'),
    ).toBe(`${refused} Failed call: GET /me.`);
    expect(failedSourceText(null, 'calcom')).toBe('Failed.');
    expect(failureNextStep('internal', 'Cal.com')).toBeNull();
  });
});
