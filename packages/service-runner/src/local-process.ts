import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { ExitInfo } from '@mlflow-actions/http-checks';
import { freePort, portTaken } from './free-port.js';
import type { RunningService } from './service.js';

export interface ProcessOptions {
  /** A shell command line (run with `sh -c`). */
  command: string;
  /** The port it listens on; unset: a free one, passed to it as PORT. */
  port?: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Its output goes to this file, so a later step can still show the last lines. */
  logDir: string;
  /**
   * The process group id is written here by the started shell itself, before it runs the command:
   * a post step finds the group even when this process was killed right after starting it.
   */
  pidFile: string;
  logger: Logger;
}

/** Starts the command in a process group of its own, so the whole tree can be ended together. */
export async function startProcess(opts: ProcessOptions): Promise<RunningService> {
  let port = opts.port;
  if (port !== undefined) {
    if (await portTaken(port)) {
      throw new ActionError(
        `port: 127.0.0.1:${port} is already taken by another process; free it or leave "port" unset`,
      );
    }
  } else {
    port = await freePort();
  }
  const logFile = join(opts.logDir, `ephemeral-test-${process.pid}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  // `exec` keeps the shell's pid, which is the group's id (detached: a group of its own).
  const wrapper = 'echo $$ > "$1" && exec sh -c "$2"';
  const child = spawn('sh', ['-c', wrapper, 'sh', opts.pidFile, opts.command], {
    cwd: opts.cwd,
    env: { ...opts.env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const pgid = child.pid;
  if (pgid === undefined) throw new ActionError(`command: could not start "${opts.command}"`);
  child.unref();
  opts.logger.info(`started process group ${pgid} (${opts.command}) for 127.0.0.1:${port}`);
  const logs = (lines = 50) => Promise.resolve(tail(logFile, lines));
  let stopped = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => {
      if (stopped) return;
      void logs().then((text) => {
        resolve({ exitCode: code ?? (signal ? 128 : null), logs: text });
      });
    });
  });
  return {
    kind: 'process',
    id: String(pgid),
    baseUrl: `http://127.0.0.1:${port}`,
    hostPort: port,
    exited,
    logs,
    stop: async () => {
      stopped = true;
      await killProcessGroup(pgid);
      rmSync(opts.pidFile, { force: true });
      // Its output was read into the report before the stop; a kept process keeps its log.
      rmSync(logFile, { force: true });
    },
    removeHint: `kill -- -${pgid}`,
  };
}

/**
 * Ends the group whose id the pid file holds, then removes the file (so a later call cannot reach a
 * new group that reused the id). Nothing to do when the file is gone.
 */
export async function killProcessGroupOf(pidFile: string, graceMs = 5000): Promise<number | undefined> {
  let pgid: number;
  try {
    pgid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (Number.isInteger(pgid) && pgid > 1) await killProcessGroup(pgid, graceMs);
  rmSync(pidFile, { force: true });
  return Number.isInteger(pgid) ? pgid : undefined;
}

/** Ends every process of the group: SIGTERM, then SIGKILL for whatever is left after graceMs. */
export async function killProcessGroup(pgid: number, graceMs = 5000): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    if (!signalGroup(pgid, 0)) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/** False when no process of the group is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
