// Packaging cannot run on build machines (no Electron binary, no signing), so this checks what can
// be checked: electron-builder accepts the configuration, it builds a dmg, an NSIS installer and an
// AppImage, and the Electron fuses are exactly the hardened set we claim.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const config = JSON.parse(readFileSync(resolve(root, 'electron-builder.json'), 'utf8')) as Record<
  string,
  unknown
>;
const require = createRequire(resolve(root, 'package.json'));

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    const { $schema: _schema, ...rest } = config;
    await expect(validateConfiguration(rest, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration(
        { ...rest, electronFuses: { runAsNod: false } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow();
  });

  it('targets a dmg on macOS, NSIS on Windows and an AppImage on Linux', () => {
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage']);
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or inspect arguments; asar integrity and asar-only on', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    expect(config.asar).toBe(true);
  });

  it('ships the Electron build of the database module, not a rebuild of node_modules', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.extraResources).toEqual([
      {
        from: 'build/electron-native/current',
        to: 'electron-native',
        filter: ['better_sqlite3.node'],
      },
    ]);
    // src/main/native.ts looks for it exactly there.
    const native = readFileSync(resolve(root, 'src/main/native.ts'), 'utf8');
    expect(native).toContain("join(resourcesPath, 'electron-native', 'better_sqlite3.node')");
  });

  it('is reachable through npm run dist', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.dist).toBe('electron-builder --publish never');
    expect(pkg.scripts.predist).toContain('electron-vite build');
  });
});
