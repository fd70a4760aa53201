// The `cadence` command line: the same core as the app, no window. Exit 0 on success, 1 on failure
// with one line on stderr, 2 on a usage error.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createCore, type Core } from '../core/core';
import { CoreError } from '../core/errors';
import { redact } from '../log';
import { defaultDataDir } from '../paths';
import { KeychainSecretStore, type SecretStore } from '../secrets/secret-store';
import { basicCommands } from './commands-basic';
import { syncCommands } from './commands-sync';
import { demoCommands } from './commands-demo';
import { matchCommands } from './commands-match';
import { metricsCommands } from './commands-metrics';
import { changesCommands } from './commands-changes';
import { webhookCommands } from './commands-webhooks';
import { CommandError, UsageError, type Command } from './command';
import type { CliIo } from './io';

export const commands: Command[] = [
  ...basicCommands,
  ...syncCommands,
  ...demoCommands,
  ...matchCommands,
  ...metricsCommands,
  ...changesCommands,
  ...webhookCommands,
];

const DataDir = z.string().trim().min(1, '--data-dir needs a folder');

export type RunCliOptions = Readonly<{
  io: CliIo;
  /** Injectable for tests; the real keychain by default. */
  secrets?: () => SecretStore;
  commands?: readonly Command[];
}>;

function usageText(list: readonly Command[]): string {
  const lines = list.map((c) => `  cadence ${c.usage}\n      ${c.summary}`);
  return [
    'Usage: cadence [--data-dir DIR] COMMAND …',
    '',
    'Global options:',
    '  --data-dir DIR   the data folder (default: the app’s per-user data folder)',
    '  --help           this text',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

function findCommand(list: readonly Command[], words: readonly string[]): Command | undefined {
  return [...list]
    .sort((a, b) => b.name.length - a.name.length)
    .find((c) => c.name.every((w, i) => words[i] === w));
}

/** Splits global options (before the command) from the command's own arguments. */
function splitGlobal(argv: readonly string[]): { dataDir?: string; help: boolean; rest: string[] } {
  let dataDir: string | undefined;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError('--data-dir needs a folder');
      dataDir = next;
      i++;
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
    } else if (arg === '--help' || arg === '-h') {
      help = true;
    } else {
      rest.push(arg);
    }
  }
  return { dataDir, help, rest };
}

export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  const { io } = options;
  const list = options.commands ?? commands;
  let core: Core | null = null;
  try {
    const global = splitGlobal(argv);
    if (global.help || global.rest.length === 0) {
      (global.help ? io.stdout : io.stderr)(usageText(list));
      return global.help ? 0 : 2;
    }
    const dataDirParsed = DataDir.safeParse(
      global.dataDir ?? defaultDataDir(process.platform, io.env),
    );
    if (!dataDirParsed.success) throw new UsageError(dataDirParsed.error.issues[0]!.message);
    const dataDir = dataDirParsed.data;

    const command = findCommand(list, global.rest);
    if (!command) throw new UsageError(`unknown command "${global.rest.slice(0, 2).join(' ')}"`);
    let parsed;
    try {
      parsed = parseArgs({
        args: global.rest.slice(command.name.length),
        options: command.options ?? {},
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${(error as Error).message} (usage: cadence ${command.usage})`);
    }
    const getCore = async () => {
      core ??= await createCore({
        dataDir,
        secrets: options.secrets?.() ?? new KeychainSecretStore(),
        sessionSecretsOk: false,
      });
      return core;
    };
    await command.run(
      { positionals: parsed.positionals, values: parsed.values as Record<string, never> },
      { io, core: getCore, dataDir },
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cadence: ${error.message}\nRun "cadence --help" for usage.\n`);
      return 2;
    }
    if (error instanceof CommandError || error instanceof CoreError) {
      io.stderr(`cadence: ${redact(error.message)}\n`);
      return 1;
    }
    io.stderr(`cadence: unexpected error: ${redact((error as Error).message ?? String(error))}\n`);
    return 1;
  } finally {
    (core as Core | null)?.close();
  }
}
