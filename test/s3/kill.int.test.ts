import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publish } from '../../packages/s3-publish/src/index.js';
import { downloadSha256, listKeys, makeSite, removeDir, sandbox, sha256, type S3Sandbox } from './helpers.js';
import { hostPort, startProxy, type Proxy } from './proxy.js';

/**
 * A publisher SIGKILLed mid-upload must leave no VERSION and no manifest (so readers never see the
 * partial version), and a rerun must complete the version. The child runs the real TypeScript
 * publisher, bundled with ncc (Node does not run the package's .ts sources; --transpile-only so type errors elsewhere
 * in the checkout do not break the bundle), through a throttling proxy so it is
 * reliably still uploading when it is killed.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const N = 30;
let sb: S3Sandbox;
let proxy: Proxy;
let site: string;
let bundleDir: string;
const files: Record<string, Buffer> = {};

describe.skipIf(!inject('s3').endpoint)('killed publisher', () => {
  beforeAll(async () => {
    sb = await sandbox('kill');
    for (let i = 0; i < N; i++) files[`assets/part-${String(i).padStart(2, '0')}.bin`] = randomBytes(1024 * 1024);
    site = await makeSite(files);
    proxy = await startProxy({ target: hostPort(sb.conn.endpoint!), bytesPerSecond: 3 * 1024 * 1024 });
    bundleDir = await mkdtemp(join(tmpdir(), 's3-child-'));
    await promisify(execFile)(
      join(root, 'node_modules/.bin/ncc'),
      ['build', 'test/s3/fixtures/publish-child.ts', '-o', bundleDir, '-q', '--transpile-only'],
      { cwd: root },
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await sb?.cleanup();
    await removeDir(site);
    await removeDir(bundleDir);
  });

  it('leaves no VERSION or manifest when killed, and a rerun completes the version', async () => {
    const base = `${sb.prefix}/killed/`;
    const options = {
      ...sb.conn,
      endpoint: proxy.endpoint,
      concurrency: 2,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'killed',
    };
    const child = spawn(process.execPath, [join(bundleDir, 'index.js'), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );

    // Kill as soon as a few objects are stored.
    const deadline = Date.now() + 60_000;
    let stored: string[];
    while (Date.now() < deadline) {
      stored = await listKeys(sb.client, sb.bucket, base);
      if (stored.length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    expect(await exited, output).toBe('SIGKILL');
    // Bytes the proxy had already forwarded may still complete a PUT on the server: wait until
    // the killed child's connections are gone and the listing is stable.
    while (proxy.stats.active > 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));

    stored = await listKeys(sb.client, sb.bucket, base);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(stored.length).toBeLessThan(N);
    expect(stored).not.toContain(`${base}VERSION`);
    expect(stored).not.toContain(`${base}manifest.json`);

    const r = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'killed',
    });
    expect(r.filesSkipped).toBe(stored.length);
    expect(r.filesUploaded).toBe(N - stored.length);
    const after = await listKeys(sb.client, sb.bucket, base);
    expect(after).toContain(`${base}VERSION`);
    expect(after).toContain(`${base}manifest.json`);
    for (const [path, content] of Object.entries(files)) {
      expect((await downloadSha256(sb.client, sb.bucket, base + path)).sha256, path).toBe(sha256(content));
    }
  });
});
