// A core with the real encrypted store and the real keychain in a temporary data folder, configured
// to sync from a World's simulators. For integration tests (the folder goes after each test).
import { createCore, type Core } from '../../src/main/core/core';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NetTuning } from '../../src/main/sync/connectors';
import { tempDir } from './temp';
import { configure, testNet, type World } from './world';

export async function coreFor(
  world: World,
  options: Readonly<{ dataDir?: string; net?: NetTuning; clock?: () => Date }> = {},
): Promise<Core> {
  const core = await createCore({
    dataDir: options.dataDir ?? tempDir(),
    secrets: new KeychainSecretStore(),
    net: options.net ?? testNet,
    clock: options.clock,
  });
  await configure(core, world);
  return core;
}
