// Starts a throw-away S3-compatible server on 127.0.0.1 for tests, the demo and benchmarks.
//
//   import { startS3Server } from './scripts/services/s3/server.mjs';
//   const s3 = await startS3Server();            // { endpoint, accessKeyId, secretAccessKey, region, kind, stop() }
//   ...
//   await s3.stop();
//
// The server binary comes from install.sh (MinIO built from its Go module, cached; moto as a
// fallback). Any failure throws with the reason and the tail of the server log: nothing is
// skipped silently.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, readFile } from 'node:fs/promises';
import { freePort } from '../ports.mjs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSync, closeSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs install.sh (a no-op once cached) and returns the server binary path (its last stdout line). */
export function installS3Server() {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [join(here, 'install.sh')],
      { maxBuffer: 16 * 1024 * 1024, timeout: 60 * 60 * 1000 },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `installing the S3 test server failed: ${err.message}\n${String(stderr).split('\n').slice(-30).join('\n')}`,
            ),
          );
          return;
        }
        const bin = String(stdout).trim().split('\n').pop();
        if (!bin) reject(new Error(`install.sh printed no binary path\n${stderr}`));
        else resolve(bin);
      },
    );
  });
}

async function logTail(path, lines = 40) {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * @param {{ dataDir?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{
 *   endpoint: string, accessKeyId: string, secretAccessKey: string, region: string,
 *   kind: 'minio'|'moto', dataDir: string, logFile: string, stop(): Promise<void>
 * }>}
 */
export async function startS3Server({ dataDir, timeoutMs = 60_000 } = {}) {
  const bin = await installS3Server();
  const kind = basename(bin) === 'minio' ? 'minio' : 'moto';
  const ownDir = !dataDir;
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 's3-server-')));
  await mkdir(dir, { recursive: true });
  const logFile = join(dir, '..', `${basename(dir)}.server.log`);
  const port = await freePort();
  const accessKeyId = 'mlflowactions';
  const secretAccessKey = 'mlflowactions-secret';
  const region = 'us-east-1';
  const endpoint = `http://127.0.0.1:${port}`;

  let args;
  const env = { ...process.env };
  if (kind === 'minio') {
    const consolePort = await freePort();
    args = [
      'server',
      join(dir, 'data'),
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
      '--quiet',
    ];
    Object.assign(env, {
      MINIO_ROOT_USER: accessKeyId,
      MINIO_ROOT_PASSWORD: secretAccessKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
      MINIO_CI_CD: '1',
      MINIO_REGION: region,
    });
  } else {
    args = ['-H', '127.0.0.1', '-p', String(port)];
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_DEFAULT_REGION: region,
    });
  }
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve((exited = { code, signal }))),
  );
  let spawnError = null;
  child.on('error', (e) => (spawnError = e));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    if (ownDir) {
      await rm(dir, { recursive: true, force: true });
      await rm(logFile, { force: true });
    }
  };

  const readyUrl = kind === 'minio' ? `${endpoint}/minio/health/live` : `${endpoint}/moto-api/`;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (spawnError || exited) {
      const why = spawnError ? spawnError.message : `exited with ${exited.code ?? exited.signal}`;
      const tail = await logTail(logFile);
      await stop().catch(() => {});
      throw new Error(`S3 test server (${kind}, ${bin}) ${why} before it was ready; log ${logFile}:\n${tail}`);
    }
    try {
      const res = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { endpoint, accessKeyId, secretAccessKey, region, kind, dataDir: dir, logFile, stop };
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = await logTail(logFile);
  await stop().catch(() => {});
  throw new Error(
    `S3 test server (${kind}) was not ready at ${readyUrl} within ${timeoutMs} ms (${lastError}); log ${logFile}:\n${tail}`,
  );
}
