// A live process that is not the test's own: it stands for another Cadence (the app, a command)
// that holds a sync lease or a push, or for a program that got a dead one's process id. Killed
// after each test.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

export function otherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
    stdio: 'ignore',
  });
  children.push(child);
  return new Promise((ready) => child.once('spawn', () => ready(child)));
}
