// status, secrets set/delete, config get/set.
import { SecretName, secretNames, sourceLabels } from '../../shared/domain';
import { describeZodError } from '../../shared/result';
import {
  parseSettingFromText,
  SettingKey,
  settingKeys,
  type Settings,
} from '../../shared/settings';
import { CommandError, UsageError, type Command } from './command';

function formatValue(value: Settings[keyof Settings]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function parseSecretName(text: string | undefined): SecretName {
  const parsed = SecretName.safeParse(text);
  if (!parsed.success) throw new UsageError(`NAME must be one of: ${secretNames.join(', ')}`);
  return parsed.data;
}

export const basicCommands: Command[] = [
  {
    name: ['status'],
    usage: 'status [--json]',
    summary: 'Show the data folder, database, keychain and which secrets are configured.',
    options: { json: { type: 'boolean' } },
    async run(args, { io, core }) {
      const status = await (await core()).call('app:status', {});
      if (args.values.json) {
        io.stdout(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      const lines = [
        `Cadence ${status.version}${status.demo ? ' (DEMO practice)' : ''}`,
        `Data folder: ${status.dataDir}`,
        `Database:    ${status.db.state}${status.db.state === 'open' ? ` (encrypted, schema ${status.db.schemaVersion})` : ''}`,
      ];
      if (status.db.message) lines.push(`             ${status.db.message}`);
      lines.push(`Keychain:    ${status.keychain.available ? 'available' : 'unavailable'}`);
      if (status.keychain.message) lines.push(`             ${status.keychain.message}`);
      lines.push('Secrets:');
      for (const name of secretNames) {
        const s = status.secrets[name];
        const label = name in sourceLabels ? sourceLabels[name as keyof typeof sourceLabels] : name;
        const detail = s.configured
          ? `configured${s.account ? ` (${s.account})` : ''}${s.verifiedAt ? `, verified ${s.verifiedAt}` : ''}`
          : 'not set';
        lines.push(`  ${name.padEnd(17)} ${detail}${name in sourceLabels ? `  — ${label}` : ''}`);
      }
      io.stdout(`${lines.join('\n')}\n`);
    },
  },
  {
    name: ['secrets', 'set'],
    usage: `secrets set NAME   (the value is read from standard input; NAME: ${secretNames.join('|')})`,
    summary: 'Store an API key or webhook secret in the system keychain.',
    async run(args, { io, core }) {
      const [nameText, extra] = args.positionals;
      if (extra !== undefined) {
        throw new UsageError('secrets are read from standard input, never from the command line');
      }
      const name = parseSecretName(nameText);
      const value = (await io.readSecret(`Paste the ${name} secret and press Enter: `)).trim();
      if (!value) throw new CommandError(`no ${name} secret was given on standard input`);
      await (await core()).call('secrets:set', { name, value });
      io.stderr(`Stored the ${name} secret in the system keychain.\n`);
    },
  },
  {
    name: ['secrets', 'delete'],
    usage: `secrets delete NAME   (NAME: ${secretNames.join('|')})`,
    summary: 'Remove a secret from the system keychain.',
    async run(args, { io, core }) {
      if (args.positionals.length !== 1) throw new UsageError('give exactly one NAME');
      const name = parseSecretName(args.positionals[0]);
      await (await core()).call('secrets:delete', { name });
      io.stderr(`Removed the ${name} secret.\n`);
    },
  },
  {
    name: ['config', 'get'],
    usage: 'config get [KEY]',
    summary: 'Print one setting, or all of them.',
    async run(args, { io, core }) {
      if (args.positionals.length > 1) throw new UsageError('give at most one KEY');
      const settings = await (await core()).call('settings:get', {});
      const key = args.positionals[0];
      if (key === undefined) {
        for (const k of settingKeys) io.stdout(`${k} = ${formatValue(settings[k])}\n`);
        return;
      }
      const parsed = SettingKey.safeParse(key);
      if (!parsed.success)
        throw new UsageError(`unknown KEY "${key}"; known: ${settingKeys.join(', ')}`);
      io.stdout(`${formatValue(settings[parsed.data])}\n`);
    },
  },
  {
    name: ['config', 'set'],
    usage: 'config set KEY VALUE',
    summary: 'Change a setting.',
    async run(args, { io, core }) {
      if (args.positionals.length !== 2) throw new UsageError('give a KEY and a VALUE');
      const [key, text] = args.positionals as [string, string];
      const parsedKey = SettingKey.safeParse(key);
      if (!parsedKey.success) {
        throw new UsageError(`unknown KEY "${key}"; known: ${settingKeys.join(', ')}`);
      }
      const value = parseSettingFromText(parsedKey.data, text);
      if (!value.success) throw new UsageError(`${key}: ${describeZodError(value.error)}`);
      const settings = await (await core()).call('settings:set', { [parsedKey.data]: value.data });
      io.stderr(`${key} = ${formatValue(settings[parsedKey.data])}\n`);
    },
  },
];
