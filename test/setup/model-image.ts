import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/podman-docker.sock';
export const MODEL_IMAGE = 'localhost/ephemeral-model-server:test';
export const SERVER_JS = resolve(import.meta.dirname, '../fixtures/model-server/server.mjs');
export const dockerEnv = { ...process.env, DOCKER_HOST };

/**
 * Builds the model server image FROM scratch out of a local root filesystem: this Node binary, the
 * libraries `ldd` lists for it, and server.mjs (no image can be pulled on these machines).
 */
export function buildModelImage(): void {
  const root = mkdtempSync(join(tmpdir(), 'model-image-'));
  try {
    const node = process.execPath;
    const libs = execFileSync('ldd', [node], { encoding: 'utf8' })
      .split('\n')
      .map((l) => /(\/\S+) \(0x/.exec(l)?.[1])
      .filter((p): p is string => Boolean(p));
    for (const file of [node, ...libs]) {
      const dest = join(root, 'rootfs', file === node ? '/bin/node' : file);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(file, dest); // follows symlinks: the image gets the real files
    }
    cpSync(SERVER_JS, join(root, 'rootfs/app/server.mjs'));
    mkdirSync(join(root, 'rootfs/tmp'), { recursive: true });
    writeFileSync(
      join(root, 'Dockerfile'),
      'FROM scratch\nCOPY rootfs/ /\nENV PORT=8000\nEXPOSE 8000\nENTRYPOINT ["/bin/node", "/app/server.mjs"]\n',
    );
    execFileSync('docker', ['build', '-q', '-t', MODEL_IMAGE, root], {
      env: { ...dockerEnv, DOCKER_BUILDKIT: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
