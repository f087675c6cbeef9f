/** A child process the local stack owns: output to a log file, stopped with SIGTERM then SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  alive(): boolean;
  /** The last lines of its log, for error messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env): ManagedProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  return {
    name,
    child,
    logFile,
    alive: () => !exited,
    tail: (lines = 20) => {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 8_000))]);
      if (!killed) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}
