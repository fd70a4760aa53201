// The shape of a CLI command and the errors that decide its exit code.
import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../core/core';
import type { CliIo } from './io';

export type ParsedArgs = Readonly<{
  positionals: readonly string[];
  values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}>;

export type Command = Readonly<{
  /** Words that name the command, e.g. ['secrets', 'set']. */
  name: readonly string[];
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Whether the command needs the core (and so the data folder and keychain). */
  needsCore?: boolean;
  run: (args: ParsedArgs, ctx: CommandContext) => Promise<void>;
}>;

export type CommandContext = Readonly<{
  io: CliIo;
  core: () => Promise<Core>;
  dataDir: string;
}>;

/** Wrong arguments: exit 2 with the usage line. */
export class UsageError extends Error {}

/** The command ran and failed: exit 1 with one line on stderr. */
export class CommandError extends Error {}
