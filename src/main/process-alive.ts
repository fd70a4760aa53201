// Whether another process on this machine still runs: a push or a sync it started may be live.
// Signal 0 checks without sending anything; EPERM means it runs under another user.
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
