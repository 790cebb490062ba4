import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { ExitInfo } from '@mlflow-actions/http-checks';
import { docker, dockerError } from './docker-cli.js';
import { freePort } from './free-port.js';
import type { RunningService } from './service.js';

export interface ContainerOptions {
  image: string;
  /** The port the service listens on inside the container. */
  port: number;
  /** Names of variables passed from this process's environment: values never reach a command line. */
  env: string[];
  /** `host-path:container-path[:ro|rw]`; read-only unless `:rw` is written. */
  volumes: string[];
  /** `name:ip` entries (e.g. `mlflow:host-gateway`). */
  addHosts: string[];
  network?: string;
  /**
   * A label (`key=value`) unique to this start: a post step finds the container by it even when the
   * step was killed before it learnt the container's name.
   */
  label: string;
  /** More labels (`key=value`), e.g. the workflow run's, so a person can find every container of a run. */
  extraLabels?: string[];
  /** Relative volume sources are resolved from here (the workspace). */
  cwd: string;
  logger: Logger;
}

export const CONTAINER_PREFIX = 'ephemeral-test-';

/** Starts the image detached on a free loopback port; the image must exist locally or be pullable. */
export async function startContainer(opts: ContainerOptions): Promise<RunningService> {
  await ensureImage(opts.image, opts.logger);
  const hostPort = await freePort();
  const name = `${CONTAINER_PREFIX}${randomBytes(5).toString('hex')}`;
  const args = ['run', '-d', '--name', name, '-p', `127.0.0.1:${hostPort}:${opts.port}`];
  for (const l of [opts.label, ...(opts.extraLabels ?? [])]) args.push('--label', l);
  for (const v of opts.env) args.push('-e', v);
  for (const v of opts.volumes) args.push('-v', volumeArg(v, opts.cwd));
  for (const h of opts.addHosts) args.push('--add-host', h);
  if (opts.network) args.push('--network', opts.network);
  args.push(opts.image);
  opts.logger.debug(`docker ${args.join(' ')}`);
  const run = await docker(args);
  if (run.code !== 0) {
    await docker(['rm', '-f', name]);
    const why = dockerError(run);
    if (/address already in use|port is already allocated/i.test(why)) {
      throw new ActionError(`port: host port ${hostPort} for the container was taken meanwhile; re-run the job`);
    }
    throw new ActionError(`image: docker run ${opts.image} failed: ${why}`);
  }
  opts.logger.info(`started container ${name} from ${opts.image} on 127.0.0.1:${hostPort}`);
  let stopped = false;
  const logs = async (lines = 50) => {
    const r = await docker(['logs', '--tail', String(lines), name]);
    return (r.stdout + r.stderr).trimEnd();
  };
  const exited = waitForExit(name).then(async (exitCode): Promise<ExitInfo> => ({ exitCode, logs: await logs() }));
  return {
    kind: 'container',
    id: name,
    baseUrl: `http://127.0.0.1:${hostPort}`,
    hostPort,
    // Settles only when the container ended by itself, not when we removed it.
    exited: exited.then((e) => (stopped ? never() : e)),
    logs,
    stop: async () => {
      stopped = true;
      await removeContainer(name);
    },
    removeHint: `docker rm -f ${name}`,
  };
}

export async function removeContainer(name: string): Promise<void> {
  const r = await docker(['rm', '-f', '-v', name]);
  if (r.code !== 0 && !/no such container|no container with name/i.test(r.stderr)) {
    throw new ActionError(`could not remove container ${name}: ${dockerError(r)}`);
  }
}

/** Removes every container carrying the label (`key=value`); the names of those removed. Idempotent. */
export async function removeContainersByLabel(label: string): Promise<string[]> {
  const ps = await docker(['ps', '-aq', '--filter', `label=${label}`]);
  if (ps.code !== 0) throw new ActionError(`could not list containers labelled ${label}: ${dockerError(ps)}`);
  const ids = ps.stdout.split(/\s+/).filter(Boolean);
  for (const id of ids) await removeContainer(id);
  return ids;
}

async function ensureImage(image: string, logger: Logger): Promise<void> {
  if ((await docker(['image', 'inspect', image])).code === 0) return;
  logger.info(`image ${image} is not on this runner; pulling it`);
  const pull = await docker(['pull', image]);
  if (pull.code !== 0) {
    throw new ActionError(
      `image: ${image} is not on this runner and cannot be pulled (${dockerError(pull)}); ` +
        'build it in an earlier step or fix the name',
    );
  }
}

export function volumeArg(spec: string, cwd: string): string {
  const parts = spec.split(':');
  const mode = parts.length > 2 && /^(ro|rw)$/.test(parts[parts.length - 1]!) ? parts.pop()! : 'ro';
  if (parts.length !== 2 || !parts[0] || !parts[1]?.startsWith('/')) {
    throw new ActionError(`volumes: "${spec}" must be host-path:/container/path[:ro|rw]`);
  }
  return `${resolve(cwd, parts[0])}:${parts[1]}:${mode}`;
}

/** `docker wait` blocks until the container ends and prints its exit code. */
function waitForExit(name: string): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn('docker', ['wait', name], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', () => {
      done(null);
    });
    child.on('close', () => {
      const code = Number.parseInt(out.trim(), 10);
      done(Number.isNaN(code) ? null : code);
    });
    child.unref();
  });
}

/** A promise that never settles: a removal we asked for is not the container ending by itself. */
function never(): Promise<never> {
  return new Promise<never>(() => undefined);
}
