// The receiver inside the app: started when the advisor switches real-time updates on
// (webhooks.enabled), restarted on a new port, and wired to the same pipeline a sync runs
// (re-fetch → store → match → classify → plan). The CLI's `serve` uses the same pieces headless.
import { randomBytes } from 'node:crypto';
import { bookingSources } from '../../shared/domain';
import type { WebhookStatus } from '../../shared/contract-webhooks';
import type { CoreContext } from '../core/context';
import { createLogger } from '../log';
import type { SourceConnector } from '../sources/connector';
import { baseUrlFor, createConnector } from '../sync/connectors';
import { deliveryHealth, hasWebhookTables, webhookSyncExtension } from './health';
import { startWebhookReceiver, WEBHOOK_ROUTES, type WebhookReceiver } from './receiver';
import { createWebhookRuntime, type WebhookRuntime } from './runtime';
import type { WebhookSource } from './types';

const log = createLogger('webhooks');

/** Builds connectors the way the sync does, from settings and the keychain; reused while unchanged. */
export function connectorSource(ctx: CoreContext) {
  const cache = new Map<string, SourceConnector>();
  return async (source: WebhookSource): Promise<SourceConnector | null> => {
    const key = await ctx.secrets.get(ctx.secretAccount(source));
    if (!key) return null;
    const settings = ctx.settings();
    const cacheKey = `${source}\u0000${baseUrlFor(source, settings)}\u0000${key}`;
    let connector = cache.get(cacheKey);
    if (!connector) {
      for (const k of [...cache.keys()]) if (k.startsWith(`${source}\u0000`)) cache.delete(k);
      connector = createConnector(source, ctx.sync.httpFor(source), settings, key);
      cache.set(cacheKey, connector);
    }
    return connector;
  };
}

/** A runtime whose stored bookings go through the same after-store stages as a sync. */
export function pipelineRuntime(ctx: CoreContext, onLog?: (line: string) => void): WebhookRuntime {
  return createWebhookRuntime({
    db: ctx.db(),
    connectorFor: connectorSource(ctx),
    ownEmails: () => ctx.sync.ownEmails(),
    now: ctx.clock,
    afterStore: (ids) => ctx.sync.processStored(ids),
    onLog,
  });
}

export class WebhookService {
  private receiver: WebhookReceiver | null = null;
  private runtime: WebhookRuntime | null = null;
  private lastError: string | null = null;
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: CoreContext) {
    if (ctx.store.db) ctx.sync.extend(webhookSyncExtension(() => ctx.store.db, { now: ctx.clock }));
  }

  /** Starts, moves or stops the receiver to match the settings. Serialized. */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.applyNow()).catch(() => undefined);
    return this.applying;
  }

  private async applyNow(): Promise<void> {
    const settings = this.ctx.settings();
    const enabled = settings['webhooks.enabled'] && this.ctx.store.db !== null;
    const port = settings['webhooks.port'];
    if (this.receiver && (!enabled || this.receiver.port !== port)) await this.stop();
    if (!enabled || this.receiver) return;
    const secretOf = (source: WebhookSource) => () =>
      this.ctx.secrets.get(this.ctx.secretAccount(`${source}-webhook`));
    this.runtime = pipelineRuntime(this.ctx, (line) => log.info(line));
    try {
      this.receiver = await startWebhookReceiver({
        port,
        host: '127.0.0.1',
        secrets: { calcom: secretOf('calcom'), calendly: secretOf('calendly') },
        onHint: this.runtime.onHint,
        onDelivery: (report) => {
          this.runtime?.onDelivery(report);
          this.ctx.emit('app:changed', { reason: 'webhook-delivery' });
        },
        now: this.ctx.clock,
      });
      this.lastError = null;
    } catch (error) {
      const code = (error as { code?: string }).code;
      this.lastError =
        code === 'EADDRINUSE'
          ? `Port ${port} is already in use on this computer. Choose another port.`
          : `The receiver could not start: ${(error as Error).message}`;
      log.warn(this.lastError);
      this.runtime = null;
    }
  }

  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = null;
    await receiver?.close();
    await this.runtime?.idle();
    this.runtime = null;
  }

  async status(): Promise<WebhookStatus> {
    const settings = this.ctx.settings();
    const db = this.ctx.store.db;
    const now = this.ctx.clock();
    const health = db && hasWebhookTables(db) ? deliveryHealth(db, now) : null;
    return {
      enabled: settings['webhooks.enabled'],
      running: this.receiver !== null,
      port: settings['webhooks.port'],
      url: this.receiver?.url ?? null,
      routes: { ...WEBHOOK_ROUTES },
      error: this.lastError,
      secrets: {
        calcom: (await this.ctx.secrets.get(this.ctx.secretAccount('calcom-webhook'))) !== null,
        calendly: (await this.ctx.secrets.get(this.ctx.secretAccount('calendly-webhook'))) !== null,
      },
      health: bookingSources.map((source) =>
        health
          ? { ...health[source] }
          : {
              source,
              supportsWebhooks: source !== 'tidycal',
              lastDeliveryAt: null,
              deliveries24h: 0,
              rejected24h: 0,
              failedHints24h: 0,
              changesWithoutWebhook: null,
              changesFoundByLastSync: null,
              verifiedThrough: null,
            },
      ),
    };
  }

  /** A new random Cal.com webhook secret, kept in the keychain and returned once for pasting. */
  async newCalcomSecret(): Promise<string> {
    const secret = randomBytes(24).toString('base64url');
    await this.ctx.secrets.set(this.ctx.secretAccount('calcom-webhook'), secret);
    return secret;
  }
}
