// demo serve: the four simulators with a generated practice, on 127.0.0.1, until stopped.
import { z } from 'zod';
import { sourceLabels, type SyncSource } from '../../shared/domain';
import { startDemoWorld, DEMO_SEED } from '../demo/start-world';
import { UsageError, type Command } from './command';

const Options = z.object({
  port: z.coerce.number().int().min(1024).max(65_000).optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .optional(),
});

export const demoCommands: Command[] = [
  {
    name: ['demo', 'serve'],
    usage: 'demo serve [--port N] [--seed N] [--configure]',
    summary:
      'Start simulated Cal.com, Calendly, TidyCal and LACRM accounts with a demo practice on 127.0.0.1 and print their base URLs. --configure also points the data folder at them.',
    options: { port: { type: 'string' }, seed: { type: 'string' }, configure: { type: 'boolean' } },
    async run(args, { io, core }) {
      if (args.positionals.length > 0)
        throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
      const parsed = Options.safeParse({ port: args.values.port, seed: args.values.seed });
      if (!parsed.success)
        throw new UsageError(
          `${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
        );
      const world = await startDemoWorld({
        now: new Date(),
        seed: parsed.data.seed ?? DEMO_SEED,
        port: parsed.data.port,
      });
      try {
        if (args.values.configure) {
          const c = await core();
          await c.call('settings:set', world.settings);
          for (const [name, key] of Object.entries(world.keys)) {
            await c.call('secrets:set', { name: name as SyncSource, value: key });
          }
          io.stderr('Configured this data folder to use the simulators (settings and keychain).\n');
        }
        io.stdout(
          'Demo simulators are running (simulated accounts; the keys below are not real secrets):\n',
        );
        for (const [source, url] of Object.entries(world.urls)) {
          io.stdout(
            `  ${sourceLabels[source as SyncSource].padEnd(18)} ${url}  key: ${world.keys[source]}\n`,
          );
        }
        io.stdout('DEMO_READY\nPress Ctrl-C to stop.\n');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      } finally {
        await world.close();
      }
    },
  },
];
