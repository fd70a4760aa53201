import { describe, expect, it } from 'vitest';
import { waitPurpose, withoutSourcesPointer } from './sync-errors';

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
