// Builds the connector and HTTP client for each scheduler from settings and the keychain.
import type { BookingSource, SyncSource } from '../../shared/domain';
import { sourceLabels } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import { CoreError } from '../core/errors';
import { HttpClient, type WaitInfo } from '../net/http';
import { RateBudget } from '../net/rate-budget';
import { createCalcomConnector } from '../sources/calcom/connector';
import { createCalendlyConnector } from '../sources/calendly/connector';
import type { SourceConnector } from '../sources/connector';
import { createTidycalConnector } from '../sources/tidycal/connector';

/** Tuning that tests and benchmarks change; the product uses the defaults. */
export type NetTuning = Readonly<{
  /** Requests per minute per source; Infinity turns budgets off. */
  requestsPerMinute?: Partial<Record<SyncSource, number>>;
  timeoutMs?: number;
  baseBackoffMs?: number;
  maxRetries?: number;
}>;

export const defaultRequestsPerMinute: Readonly<Record<SyncSource, number>> = {
  calcom: 100, // the advisor's plan in the brief; Cal.com allows 120 per key
  calendly: 50, // the free plan; raised to what X-RateLimit-Limit says once seen
  tidycal: 60, // undocumented: throttle ourselves
  lacrm: 100, // undocumented
};

export class Budgets {
  private readonly budgets = new Map<SyncSource, RateBudget>();
  constructor(private readonly tuning: NetTuning = {}) {}
  for(source: SyncSource): RateBudget {
    let budget = this.budgets.get(source);
    if (!budget) {
      budget = new RateBudget({
        limitPerMinute: this.tuning.requestsPerMinute?.[source] ?? defaultRequestsPerMinute[source],
      });
      this.budgets.set(source, budget);
    }
    return budget;
  }
}

export function httpClientFor(
  source: SyncSource,
  budgets: Budgets,
  tuning: NetTuning,
  onWait?: (info: WaitInfo) => void,
): HttpClient {
  return new HttpClient({
    source,
    budget: budgets.for(source),
    timeoutMs: tuning.timeoutMs,
    baseBackoffMs: tuning.baseBackoffMs,
    maxRetries: tuning.maxRetries,
    onWait,
  });
}

export function baseUrlFor(source: SyncSource, settings: Settings): string {
  switch (source) {
    case 'calcom':
      return settings['sources.calcom.baseUrl'];
    case 'calendly':
      return settings['sources.calendly.baseUrl'];
    case 'tidycal':
      return settings['sources.tidycal.baseUrl'];
    case 'lacrm':
      return settings['lacrm.baseUrl'];
  }
}

export function createConnector(
  source: BookingSource,
  http: HttpClient,
  settings: Settings,
  apiKey: string,
): SourceConnector {
  const baseUrl = baseUrlFor(source, settings);
  switch (source) {
    case 'calcom':
      return createCalcomConnector({ http, baseUrl, apiKey });
    case 'calendly':
      return createCalendlyConnector({ http, baseUrl, apiKey });
    case 'tidycal':
      return createTidycalConnector({ http, baseUrl, apiKey });
  }
}

export function missingKey(source: SyncSource): CoreError {
  return new CoreError(
    'secret_missing',
    `No ${sourceLabels[source]} key is set. Add it in Settings → Sources (or \`cadence secrets set ${source}\`).`,
  );
}
