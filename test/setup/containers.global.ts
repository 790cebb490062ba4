import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildModelImage, DOCKER_HOST } from './model-image.js';

/**
 * Installs and starts podman's Docker-compatible service (scripts/services/podman.sh) for the
 * `docker` CLI, builds the model server image, and stops the service by its PID afterwards (a
 * service someone else started is reused and left running).
 */
export default function setup(): () => void {
  const socket = DOCKER_HOST.replace(/^unix:\/\//, '');
  const out = execFileSync(
    'bash',
    [resolve(import.meta.dirname, '../../scripts/services/podman.sh'), 'start', socket],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  ).trim();
  process.env.DOCKER_HOST = DOCKER_HOST;
  buildModelImage();
  const pid = /^\d+$/.test(out) ? Number(out) : undefined;
  return () => {
    if (pid) process.kill(pid, 'SIGTERM');
  };
}
