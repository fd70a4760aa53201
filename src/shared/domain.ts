// Domain vocabulary shared by main and renderer: sources, statuses, states. Pure; no I/O.
import { z } from 'zod';

export const bookingSources = ['calcom', 'calendly', 'tidycal'] as const;
export const BookingSource = z.enum(bookingSources);
export type BookingSource = z.infer<typeof BookingSource>;

/** Every outside system Cadence syncs from: the three schedulers plus the CRM's contact list. */
export const syncSources = [...bookingSources, 'lacrm'] as const;
export const SyncSource = z.enum(syncSources);
export type SyncSource = z.infer<typeof SyncSource>;

export const sourceLabels: Readonly<Record<SyncSource, string>> = {
  calcom: 'Cal.com',
  calendly: 'Calendly',
  tidycal: 'TidyCal',
  lacrm: 'Less Annoying CRM',
};

/** Secrets an advisor can set. Their values never cross into the renderer. */
export const secretNames = [
  'calcom',
  'calendly',
  'tidycal',
  'lacrm',
  'calcom-webhook',
  'calendly-webhook',
] as const;
export const SecretName = z.enum(secretNames);
export type SecretName = z.infer<typeof SecretName>;

export const bookingStatuses = [
  'scheduled',
  'pending',
  'cancelled',
  'rejected',
  'no_show',
  'completed',
] as const;
export const BookingStatus = z.enum(bookingStatuses);
export type BookingStatus = z.infer<typeof BookingStatus>;

export const matchStates = [
  'auto',
  'suggested',
  'confirmed',
  'rejected',
  'ignored',
  'unmatched',
] as const;
export const MatchState = z.enum(matchStates);
export type MatchState = z.infer<typeof MatchState>;

export const changeStates = [
  'proposed',
  'approved',
  'pushing',
  'pushed',
  'failed',
  'rejected',
  'undone',
] as const;
export const ChangeState = z.enum(changeStates);
export type ChangeState = z.infer<typeof ChangeState>;
