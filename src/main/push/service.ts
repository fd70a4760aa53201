// Push approved, inside the app: one push at a time per core, progress as changes:progress events,
// Cancel, and the LACRM client built from settings and the keychain within the 'lacrm' rate budget
// shared with the contact refresh. Tests and the CLI may hand in their own HttpClient (tuning).
import type { PushOutcome, PushProgress } from '../../shared/contract-changes';
import type { CoreContext } from '../core/context';
import { CoreError } from '../core/errors';
import { createLacrmClient, type LacrmClient } from '../crm/lacrm/client';
import type { HttpClient } from '../net/http';
import { missingKey } from '../sync/connectors';
import { pushApproved } from './executor';
import { checkFieldMapping, mappedFieldTypes } from './fields';

export type PushRunOptions = Readonly<{
  actor: string;
  /** An HttpClient for source 'lacrm' to use instead of the core's (tests, the CLI's tuning). */
  http?: HttpClient;
  retryDelayMs?: number;
  maxAttempts?: number;
  heartbeatMs?: number;
  onProgress?: (progress: PushProgress) => void;
}>;

export class PushService {
  private current: { controller: AbortController; progress: PushProgress | null } | null = null;

  constructor(private readonly ctx: CoreContext) {}

  get running(): boolean {
    return this.current !== null;
  }

  progress(): PushProgress | null {
    return this.current?.progress ?? null;
  }

  cancel(): boolean {
    if (!this.current) return false;
    this.current.controller.abort(new Error('cancelled'));
    return true;
  }

  /** A client with the stored key; `onWait` hears about rate-limit and backoff waits. */
  async client(http?: HttpClient, onWait?: (ms: number) => void): Promise<LacrmClient> {
    const apiKey = await this.ctx.secrets.get(this.ctx.secretAccount('lacrm'));
    if (!apiKey) throw missingKey('lacrm');
    return createLacrmClient({
      http: http ?? this.ctx.sync.httpFor('lacrm', onWait),
      baseUrl: this.ctx.settings()['lacrm.baseUrl'],
      apiKey,
    });
  }

  async checkFields(signal?: AbortSignal) {
    return checkFieldMapping(await this.client(), this.ctx.settings(), signal);
  }

  async push(options: PushRunOptions): Promise<PushOutcome> {
    const db = this.ctx.db();
    if (this.current) throw new CoreError('busy', 'A push is already running.');
    const controller = new AbortController();
    const run: { controller: AbortController; progress: PushProgress | null } = {
      controller,
      progress: null,
    };
    this.current = run;
    const report = (progress: PushProgress) => {
      run.progress = progress;
      this.ctx.emit('changes:progress', progress);
      options.onProgress?.(progress);
    };
    try {
      const client = await this.client(options.http, (ms) => {
        if (run.progress) report({ ...run.progress, waitMs: ms });
      });
      const outcome = await pushApproved({
        db,
        client,
        now: this.ctx.clock,
        actor: options.actor,
        signal: controller.signal,
        onProgress: report,
        fieldTypes: mappedFieldTypes(this.ctx.settings()),
        retryDelayMs: options.retryDelayMs,
        maxAttempts: options.maxAttempts,
        heartbeatMs: options.heartbeatMs,
      });
      return outcome;
    } finally {
      this.current = null;
      this.ctx.emit('changes:changed', { reason: 'push' });
    }
  }
}

const services = new WeakMap<CoreContext, PushService>();

export function pushServiceFor(ctx: CoreContext): PushService {
  let service = services.get(ctx);
  if (!service) {
    service = new PushService(ctx);
    services.set(ctx, service);
  }
  return service;
}
