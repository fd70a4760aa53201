// The contact refresh behind "Sync now" for Less Annoying CRM: a full pull (GetContacts paged at up
// to 10,000, oldest first) the first time, when asked, and once a week to notice deletions; an
// incremental pull (sorted by LastUpdate, stopping at the watermark) otherwise. Each page is
// stored in one transaction, so a cancel or crash keeps what was stored; the checkpoint moves only
// when the whole pull succeeded. Every refresh is a sync_runs row and reports progress in the same
// shape as the schedulers, so the Sync panel shows LACRM like any other source.
import { z } from 'zod';
import type { SourceProgress } from '../../shared/contract';
import type { SyncMode } from '../sources/connector';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import {
  markContactsRemovedExcept,
  upsertContact,
  type ContactUpsertOutcome,
} from '../db/queries/contacts';
import type { HttpClient } from '../net/http';
import { createLogger } from '../log';
import { describeSyncError } from '../sync/errors';
import {
  finishRun,
  loadCheckpoint,
  saveCheckpoint,
  startRun,
  updateRunCounts,
  type RunCounts,
} from '../sync/runs';
import { normalizeContact } from './lacrm/normalize';
import type { LacrmClient } from './lacrm/client';
import type { LacrmContact } from './lacrm/types';

const log = createLogger('sync.lacrm');

/** A full pull at least this often, because an incremental pull cannot see deletions. */
export const FULL_REFRESH_EVERY_MS = 7 * 24 * 60 * 60 * 1000;
/** Incremental pulls usually need one small page: only what changed since the watermark. */
export const INCREMENTAL_PAGE_SIZE = 500;

/** What the contact refresh remembers between runs (sync_checkpoints, source 'lacrm'). */
export const ContactsCheckpoint = z.object({
  /** The newest LastUpdate seen, as LACRM wrote it (LACRM's clock, not ours). */
  watermark: z.string().nullable(),
  /** When the last complete full pull finished. */
  lastFullAt: z.string().nullable(),
});
export type ContactsCheckpoint = z.infer<typeof ContactsCheckpoint>;

export type ContactsProgress = SourceProgress;

export type ContactsSyncOptions = Readonly<{
  db: Db;
  client: LacrmClient;
  /** The client's HttpClient, for request counts and rate-limit waits. */
  http: HttpClient;
  /** 'full' forces a full pull; 'incremental' pulls what changed unless a full one is due. */
  mode: SyncMode;
  signal: AbortSignal;
  now: () => Date;
  trigger: string;
  onProgress: (progress: ContactsProgress) => void;
  /** Rows a page holds on full pulls (default 10,000, LACRM's maximum). */
  fullPageSize?: number;
  incrementalPageSize?: number;
  fullRefreshEveryMs?: number;
}>;

/** The stored checkpoint, or null when there is none or it is unreadable (then: a full pull). */
export function readContactsCheckpoint(db: Db): ContactsCheckpoint | null {
  const parsed = ContactsCheckpoint.safeParse(loadCheckpoint(db, 'lacrm'));
  return parsed.success ? parsed.data : null;
}

function suffixOf(contact: LacrmContact): string {
  return typeof contact.Name === 'string' ? '' : (contact.Name.Suffix ?? '').trim();
}

function later(a: string | null, b: string): string {
  if (a === null) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export async function syncContacts(options: ContactsSyncOptions): Promise<ContactsProgress> {
  const { db, client, http, signal } = options;
  const startedRequests = http.requestCount;
  const startedWaited = http.budget.waitedMs;
  const checkpoint = readContactsCheckpoint(db);
  const nowMs = options.now().getTime();
  const fullDue =
    checkpoint === null ||
    checkpoint.watermark === null ||
    checkpoint.lastFullAt === null ||
    nowMs - Date.parse(checkpoint.lastFullAt) >=
      (options.fullRefreshEveryMs ?? FULL_REFRESH_EVERY_MS);
  const full = options.mode === 'full' || fullDue;
  const runId = startRun(
    db,
    'lacrm',
    options.trigger,
    full ? 'full' : 'incremental',
    options.now().toISOString(),
  );
  const counts: RunCounts = {
    fetched: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    requests: 0,
    waitedMs: 0,
  };
  let page = 0;
  const progress = (
    state: ContactsProgress['state'],
    extra: Partial<ContactsProgress> = {},
  ): ContactsProgress => {
    counts.requests = http.requestCount - startedRequests;
    counts.waitedMs = Math.round(http.budget.waitedMs - startedWaited);
    const p: ContactsProgress = {
      ...counts,
      runId,
      source: 'lacrm',
      state,
      page,
      pagesTotal: null,
      waitMs: null,
      error: null,
      ...extra,
    };
    options.onProgress(p);
    return p;
  };
  progress('running');

  let watermark = checkpoint?.watermark ?? null;
  const seen = new Set<string>();
  try {
    const since = full ? null : watermark;
    const pages =
      since === null
        ? client.pullAllContacts({ signal, pageSize: options.fullPageSize })
        : client.pullContactsUpdatedSince(since, {
            signal,
            pageSize: options.incrementalPageSize ?? INCREMENTAL_PAGE_SIZE,
          });
    for await (const contactPage of pages) {
      page = contactPage.page;
      const nowIso = options.now().toISOString();
      writeTransaction(db, () => {
        for (const contact of contactPage.contacts) {
          const outcome: ContactUpsertOutcome = upsertContact(
            db,
            { ...normalizeContact(contact), suffix: suffixOf(contact) },
            nowIso,
          );
          counts.fetched++;
          counts[outcome]++;
          seen.add(contact.ContactId);
          watermark = later(watermark, contact.LastUpdate);
        }
        counts.requests = http.requestCount - startedRequests;
        updateRunCounts(db, runId, counts);
      });
      progress('running');
    }
    const finishedIso = options.now().toISOString();
    writeTransaction(db, () => {
      if (full) {
        const removed = markContactsRemovedExcept(db, seen, finishedIso);
        counts.updated += removed;
        if (removed > 0) log.info(`${removed} contacts are no longer in LACRM`);
      }
      counts.requests = http.requestCount - startedRequests;
      counts.waitedMs = Math.round(http.budget.waitedMs - startedWaited);
      const next: ContactsCheckpoint = {
        watermark,
        lastFullAt: full ? finishedIso : (checkpoint?.lastFullAt ?? null),
      };
      saveCheckpoint(db, 'lacrm', next, finishedIso);
      finishRun(db, runId, 'ok', counts, null, finishedIso);
    });
    log.info(
      `${full ? 'full' : 'incremental'}: ${counts.fetched} contacts, ${counts.created} new, ${counts.updated} updated, ${counts.requests} requests`,
    );
    return progress('ok');
  } catch (error) {
    const described = describeSyncError(error);
    const state = described.code === 'cancelled' ? 'cancelled' : 'failed';
    counts.requests = http.requestCount - startedRequests;
    finishRun(db, runId, state, counts, described, options.now().toISOString());
    log.warn(`${state}: ${described.message}`);
    return progress(state, { error: described });
  }
}
