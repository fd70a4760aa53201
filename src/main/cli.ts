// Entry point of the `cadence` command (npm run cadence -- …).
import { runCli } from './cli/run';
import { processIo } from './cli/io';

const code = await runCli(process.argv.slice(2), { io: processIo() });
process.exitCode = code;
