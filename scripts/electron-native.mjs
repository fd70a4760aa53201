#!/usr/bin/env node
// Builds better-sqlite3 a second time, for Electron's ABI, into build/electron-native/<version>/,
// leaving node_modules on Node's ABI for tests and the CLI. The app loads that copy through
// better-sqlite3's nativeBinding option (src/main/native.ts). keytar is N-API and needs no rebuild.
//
//   node scripts/electron-native.mjs                 build if missing (npm start runs this)
//   node scripts/electron-native.mjs --if-available  do nothing where Electron was not downloaded
//                                                     (postinstall; ELECTRON_SKIP_BINARY_DOWNLOAD=1)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const ifAvailable = process.argv.includes('--if-available');

function say(message) {
  process.stderr.write(`electron-native: ${message}\n`);
}

const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
// Electron 36+ downloads its binary lazily; path.txt exists once it has been fetched.
const binaryPresent =
  existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist'));

if (!binaryPresent && (ifAvailable || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
  say('the Electron binary is not installed here; skipping the Electron build of better-sqlite3.');
  process.exit(0);
}

const target = join(root, 'build', 'electron-native', electronVersion, 'better_sqlite3.node');
// electron-builder ships build/electron-native/current/ as extraResources (electron-builder.json).
const current = join(root, 'build', 'electron-native', 'current', 'better_sqlite3.node');
if (existsSync(target)) {
  mkdirSync(dirname(current), { recursive: true });
  cpSync(target, current);
  process.exit(0);
}

say(`building better-sqlite3 for Electron ${electronVersion} …`);
const moduleDir = dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
const work = mkdtempSync(join(tmpdir(), 'cadence-electron-native-'));
try {
  cpSync(moduleDir, work, {
    recursive: true,
    filter: (src) => !src.includes(`${moduleDir}/build`),
  });
  const env = { ...process.env };
  // npm passes the Node headers folder down to scripts; Electron needs its own headers.
  for (const key of Object.keys(env))
    if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(key)) delete env[key];
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const result = spawnSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit', env },
  );
  if (result.status !== 0) {
    say(
      'the build failed; `npm start` needs network access to electronjs.org for Electron headers.',
    );
    process.exit(ifAvailable ? 0 : 1);
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  mkdirSync(dirname(current), { recursive: true });
  cpSync(target, current);
  say(`done: ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
