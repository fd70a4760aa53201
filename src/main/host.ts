// The app host: the front doors (Electron IPC and the loopback bridge) talk to it, and it talks to
// the current core. It owns the one thing a core cannot do for itself: switching between the
// advisor's own data folder and the demo practice's, which runs simulators in-process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { contract, type Method } from '../shared/contract';
import { describeZodError, fail, type Result } from '../shared/result';
import type { Clock } from './core/context';
import { createCore, type Core, type CoreListener, type CoreOptions } from './core/core';
import { writeProfile } from './core/profile';
import { dbKeyAccount } from './core/store';
import type { DemoWorld, StartDemoWorld } from './demo/world';
import { createLogger } from './log';
import type { SecretStore } from './secrets/secret-store';
import { secretNames } from '../shared/domain';

const log = createLogger('host');

export const DEMO_FOLDER = 'demo';

export type AppHostOptions = Readonly<
  Omit<CoreOptions, 'dataDir'> & {
    dataDir: string;
    secrets: SecretStore;
    clock?: Clock;
    /** Starts the demo's simulators; injected so the host does not load them unless asked. */
    startDemoWorld: StartDemoWorld;
  }
>;

export interface AppHost {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: CoreListener): () => void;
  current(): Core;
  close(): Promise<void>;
}

export async function createAppHost(options: AppHostOptions): Promise<AppHost> {
  const listeners = new Set<CoreListener>();
  let core = await createCore(options);
  let unhook = core.subscribe((e, p) => listeners.forEach((l) => l(e, p)));
  let world: DemoWorld | null = null;
  const demoDir = join(options.dataDir, DEMO_FOLDER);

  async function switchTo(next: () => Promise<Core>): Promise<void> {
    core.context.sync.cancel();
    unhook();
    core.close();
    core = await next();
    unhook = core.subscribe((e, p) => listeners.forEach((l) => l(e, p)));
    for (const l of listeners) l('app:changed', { reason: 'data-folder' });
  }

  async function openDemo(): Promise<Core> {
    world ??= await options.startDemoWorld({ now: (options.clock ?? (() => new Date()))() });
    const demo = await createCore({ ...options, dataDir: demoDir });
    if (!demo.context.profile.demo) {
      demo.context.profile.demo = true;
      writeProfile(demoDir, demo.context.profile);
    }
    if (demo.context.store.db) {
      await demo.call('settings:set', world.settings);
      for (const [name, key] of Object.entries(world.keys)) {
        await demo.context.secrets.set(demo.context.secretAccount(name as never), key);
      }
    }
    return demo;
  }

  async function forgetDemo(): Promise<void> {
    const secrets = core.context.secrets;
    const profile = core.context.profile;
    for (const name of secretNames) await secrets.delete(`${profile.profileId}:${name}`);
    await secrets.delete(dbKeyAccount(profile));
  }

  const hostMethods: Partial<Record<Method, () => Promise<void>>> = {
    'demo:start': async () => {
      if (!core.context.profile.demo) await switchTo(openDemo);
    },
    'demo:exit': async () => {
      if (core.context.profile.demo) await switchTo(() => createCore(options));
      await world?.close();
      world = null;
    },
    'demo:reset': async () => {
      if (core.context.profile.demo) await forgetDemo();
      await switchTo(async () => {
        rmSync(demoDir, { recursive: true, force: true });
        await world?.close();
        world = null;
        return openDemo();
      });
    },
  };

  return {
    async invoke(method, input) {
      const own = hostMethods[method as Method];
      if (own) {
        // The host's own methods switch or delete data folders: their input is checked against
        // the contract first, as the core does for every other method.
        const parsed = contract[method as Method].input.safeParse(input);
        if (!parsed.success)
          return fail('invalid_input', `${method}: ${describeZodError(parsed.error, 'input')}`);
        try {
          await own();
        } catch (error) {
          log.error(`${method}: ${(error as Error).message}`);
          return fail('internal', `${method} failed: ${(error as Error).message}`);
        }
        return core.invoke('app:status', {});
      }
      return core.invoke(method, input);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => core,
    async close() {
      unhook();
      core.close();
      await world?.close();
    },
  };
}
