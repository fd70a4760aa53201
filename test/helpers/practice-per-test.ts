// A simulated practice and a core syncing from it, made fresh for each integration test and closed
// after it (the simulators, the core, and through coreFor its data folder and keychain entries).
import { afterEach } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { coreFor } from './world-core';
import { startWorld, type World, type WorldOptions } from './world';

/** Call at the top of a test file; the function it returns makes one practice per call. */
export function practicePerTest(): (
  options?: WorldOptions,
) => Promise<{ world: World; core: Core }> {
  const worlds: World[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) c.close();
    for (const w of worlds.splice(0)) await w.close();
  });
  return async (options) => {
    const world = await startWorld(options);
    worlds.push(world);
    const core = await coreFor(world);
    cores.push(core);
    return { world, core };
  };
}
