// The demo world: the four simulators running in-process with a generated practice, and what a
// core needs to talk to them (base URLs and keys). Shared by the app's demo mode and `cadence demo serve`.
import type { SettingsPatch } from '../../shared/settings';

export type DemoWorld = Readonly<{
  /** Settings that point Cadence at the simulators. */
  settings: SettingsPatch;
  /** API keys the simulators accept, by secret name. */
  keys: Readonly<Record<string, string>>;
  /** Base URLs, for people (demo serve) and tests. */
  urls: Readonly<Record<'calcom' | 'calendly' | 'tidycal' | 'lacrm', string>>;
  close(): Promise<void>;
}>;

export type StartDemoWorld = (
  options: Readonly<{ now: Date; seed?: number; port?: number }>,
) => Promise<DemoWorld>;
