// Entry point of the `cadence` command (npm run cadence -- …).
import { runCli } from './cli/run';
import { processIo } from './cli/io';

// `cadence export … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await runCli(process.argv.slice(2), { io: processIo() });
process.exitCode = code;
