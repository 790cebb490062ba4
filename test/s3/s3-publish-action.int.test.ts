import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runActionBundle, type ActionRun } from '../helpers/run-action.js';
import { listKeys, makeSite, sandbox, sha256, type S3Sandbox } from './helpers.js';

// The committed s3-publish bundle (dist/s3-publish), run as the runner runs it (INPUT_* variables,
// action.yml's defaults, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY), against the real S3 server.
const s3 = inject('s3');
let box: S3Sandbox;
const dirs: string[] = [];

// A nested site as build-viewer writes it: hashed assets, data files, a few levels deep.
const SITE: Record<string, string> = {
  'index.html': '<!doctype html><title>viewer</title><script src="assets/app-3f2a1b9c.js"></script>',
  'model_metadata.json': '{"model_name":"prod recs/engine","version":"3"}',
  'assets/app-3f2a1b9c.js': 'console.log("viewer")',
  'assets/app-9d8e7f6a.css': 'body{margin:0}',
  'assets/img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'data/runs/2026/11/history.csv': 'step,loss\n0,0.5\n1,0.25\n',
  'data/runs/2026/11/weights.bin': 'w'.repeat(70_000),
};
const SITE_BYTES = Object.values(SITE).reduce((n, s) => n + Buffer.byteLength(s), 0);

beforeAll(async () => {
  box = await sandbox('action');
});
afterAll(async () => {
  await box?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function site(files: Record<string, string> = SITE): Promise<string> {
  const dir = await makeSite(files);
  dirs.push(dir);
  return dir;
}

function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 's3a-empty-'));
  dirs.push(dir);
  return dir;
}

// Credentials as an OIDC role step leaves them: in the environment, never as inputs.
const env = () => ({
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_REGION: s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
});

async function publishRun(
  inputs: Record<string, string>,
  extraEnv: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  const base: Record<string, string> = { bucket: box.bucket, prefix: box.prefix };
  // No force-path-style here: with an endpoint it defaults to true, which these runs rely on.
  if (s3.endpoint) base.endpoint = s3.endpoint;
  const run = await runActionBundle(
    's3-publish',
    { ...base, ...inputs },
    { env: { ...env(), ...extraEnv }, cwd: emptyDir() },
  );
  // Whatever happened, the secret appears in no log line but the one that masks it.
  const logged = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
  expect(logged.join('\n') + run.stderr).not.toContain(s3.secretAccessKey);
  return run;
}

const keysUnder = async (version: string) =>
  (await listKeys(box.client, box.bucket, `${box.prefix}/${version}/`)).map((k) =>
    k.slice(`${box.prefix}/${version}/`.length),
  );
const read = async (key: string) =>
  (await box.client.send(new GetObjectCommand({ Bucket: box.bucket, Key: key }))).Body!.transformToString();

describe('s3-publish action bundle', () => {
  it('publishes a nested site as one version: outputs, summary, objects, manifest and VERSION', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await publishRun({ 'source-dir': await site(), 'model-name': 'prod recs/engine', 'model-version': '3' });
    expect(r.errors, r.stdout + r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.masked).toContain(s3.secretAccessKey);

    const version = r.outputs['artifact-version']!;
    const [, seconds] = /^prod-recs-engine-3-(\d{10})$/.exec(version) ?? [];
    expect(Number(seconds)).toBeGreaterThanOrEqual(before);
    const uri = `s3://${box.bucket}/${box.prefix}/${version}/`;
    expect(r.outputs).toEqual({
      'artifact-version': version,
      's3-uri': uri,
      'files-uploaded': '7',
      'bytes-uploaded': String(SITE_BYTES),
    });

    expect(r.summary).toContain('### S3 publish');
    expect(r.summary).toContain(`\`${uri}\``);
    expect(r.summary).toContain(`| Uploaded | 7 files, ${(SITE_BYTES / 1024).toFixed(1)} KiB |`);
    expect(r.summary).toMatch(/\| Time \| \d+\.\d\d s \|/);
    expect(r.summary).toContain('If-None-Match');
    expect(r.stdout).toMatch(/^::group::Publish .* to s3:\/\//m);

    const base = `${box.prefix}/${version}/`;
    expect(await keysUnder(version)).toEqual([...Object.keys(SITE), 'VERSION', 'manifest.json'].sort());
    for (const [path, content] of Object.entries(SITE)) expect(await read(base + path), path).toBe(content);
    const manifest = JSON.parse(await read(`${base}manifest.json`)) as {
      artifactVersion: string;
      files: { path: string; size: number; sha256: string }[];
    };
    expect(manifest.artifactVersion).toBe(version);
    expect(manifest.files.map((f) => [f.path, f.size, f.sha256])).toEqual(
      Object.keys(SITE)
        .sort()
        .map((p) => [p, Buffer.byteLength(SITE[p]!), sha256(SITE[p]!)]),
    );
    expect((await read(`${base}VERSION`)).trim()).toBe(version);

    const head = (k: string) => box.client.send(new HeadObjectCommand({ Bucket: box.bucket, Key: base + k }));
    expect((await head('assets/app-3f2a1b9c.js')).CacheControl).toBe('public, max-age=31536000, immutable');
    expect((await head('index.html')).ContentType).toBe('text/html; charset=utf-8');
    expect((await head('index.html')).CacheControl).toBe('no-cache');
  });

  it('refuses to overwrite an existing version: exactly one error line, exit 1, nothing rewritten', async () => {
    const dir = await site();
    const first = await publishRun({ 'source-dir': dir, 'artifact-version': 'fixed-1' });
    expect(first.code).toBe(0);
    const versionBefore = await box.client.send(
      new HeadObjectCommand({ Bucket: box.bucket, Key: `${box.prefix}/fixed-1/VERSION` }),
    );

    const changed = await site({ ...SITE, 'index.html': 'changed' });
    const again = await publishRun({ 'source-dir': changed, 'artifact-version': 'fixed-1' });
    expect(again.code).toBe(1);
    expect(again.errors).toEqual([
      expect.stringMatching(/^s3-publish: artifact version "fixed-1" already exists at s3:\/\/.*set overwrite/),
    ]);
    expect(again.outputs).toEqual({});
    expect(await read(`${box.prefix}/fixed-1/index.html`)).toBe(SITE['index.html']);
    const versionAfter = await box.client.send(
      new HeadObjectCommand({ Bucket: box.bucket, Key: `${box.prefix}/fixed-1/VERSION` }),
    );
    expect(versionAfter.ETag).toBe(versionBefore.ETag);
    expect(versionAfter.LastModified).toEqual(versionBefore.LastModified);
  });

  it('dry-run reports what would change and writes nothing', async () => {
    const r = await publishRun({ 'source-dir': await site(), 'artifact-version': 'dry-1', 'dry-run': 'true' });
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.outputs['files-uploaded']).toBe('7');
    expect(r.summary).toContain('dry run: nothing written');
    expect(r.summary).toContain('#### What would change (9)');
    expect(r.summary).toContain(`| upload | \`${box.prefix}/dry-1/data/runs/2026/11/weights.bin\` |`);
    expect(r.summary).toMatch(/\| write-version \| `.*\/dry-1\/VERSION` \|/);
    expect(await keysUnder('dry-1')).toEqual([]);
  });

  it('sync mode: an unchanged re-publish sends nothing, a changed file only itself, a removed one is deleted', async () => {
    const dir = await site();
    expect((await publishRun({ 'source-dir': dir, 'artifact-version': 'live', delete: 'true' })).code).toBe(0);
    const same = await publishRun({ 'source-dir': await site(), 'artifact-version': 'live', delete: 'true' });
    expect(same.errors).toEqual([]);
    expect(same.outputs['files-uploaded']).toBe('0');
    expect(same.summary).toContain('Nothing changed');

    const { 'assets/img/logo.svg': _gone, ...rest } = SITE;
    const next = await publishRun({
      'source-dir': await site({ ...rest, 'index.html': 'v2' }),
      'artifact-version': 'live',
      delete: 'true',
    });
    expect(next.outputs['files-uploaded']).toBe('1');
    expect(next.summary).toMatch(/\| Deleted \| 1 \|/);
    expect(await keysUnder('live')).not.toContain('assets/img/logo.svg');
    expect(await read(`${box.prefix}/live/index.html`)).toBe('v2');
  });

  it('masks the credentials and reports every input problem at once, one line each naming the input, before loading the SDK', async () => {
    const r = await publishRun(
      {
        'source-dir': '/no/such/dir',
        bucket: 'Bad_Bucket',
        'artifact-version': '../x',
        'dry-run': 'yes',
        concurrency: '0',
        'cache-control': '*.png=public, max-age=60\noops',
      },
      { AWS_SESSION_TOKEN: 'session-token-to-mask' },
    );
    expect(r.masked).toEqual(expect.arrayContaining([s3.secretAccessKey, 'session-token-to-mask']));
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      "s3-publish: input 'source-dir': '/no/such/dir' does not exist (did the build step write it somewhere else?)",
      expect.stringMatching(/^s3-publish: input 'bucket': invalid bucket name "Bad_Bucket"/),
      expect.stringMatching(/^s3-publish: input 'artifact-version': artifact-version "\.\.\/x" may only use/),
      expect.stringMatching(/^s3-publish: input 'concurrency' must be a whole number between 1 and 64, got '0'/),
      expect.stringMatching(/^s3-publish: input 'cache-control' line 2 "oops" must look like "glob=value"/),
      expect.stringMatching(/^s3-publish: input 'dry-run' must be true or false, got 'yes'/),
    ]);
    // The AWS SDK warns about Node versions when it loads; an input error is answered before that.
    expect(r.stderr).not.toContain('AWS SDK');
  });

  it.each([
    ['missing source-dir', { 'source-dir': '' }, /^s3-publish: input 'source-dir' is required/],
    [
      'source-dir that is not there',
      { 'source-dir': '/no/such/dir' },
      /^s3-publish: input 'source-dir': '\/no\/such\/dir' does not exist/,
    ],
    [
      'empty source-dir',
      { 'source-dir': 'EMPTY' },
      /^s3-publish: input 'source-dir': '.*' is empty; build the site before publishing$/,
    ],
    ['invalid bucket name', { bucket: 'Bad_Bucket' }, /^s3-publish: input 'bucket': invalid bucket name "Bad_Bucket"/],
    [
      's3:// URI as bucket',
      { bucket: 's3://b/p' },
      /^s3-publish: input 'bucket': bucket "s3:\/\/b\/p" must be a bucket name/,
    ],
    ['bad boolean', { overwrite: 'yes' }, /^s3-publish: input 'overwrite' must be true or false, got 'yes'$/],
    [
      'overwrite with delete',
      { overwrite: 'true', delete: 'true' },
      /^s3-publish: inputs 'overwrite' and 'delete' conflict/,
    ],
    [
      'no version to derive',
      { 'artifact-version': '', 'model-version': '3' },
      /^s3-publish: input 'model-name' is required with 'model-version'/,
    ],
    [
      'endpoint with a path',
      { endpoint: 'http://127.0.0.1:9000/bucket' },
      /^s3-publish: input 'endpoint' must be the store's base URL without a path/,
    ],
    ['absolute exclude glob', { exclude: '/etc/*' }, /^s3-publish: input 'exclude': '\/etc\/\*' is absolute/],
  ])('%s: one line, exit 1, nothing written', async (_label, inputs, pattern) => {
    const given: Record<string, string> = inputs;
    const sourceDir = given['source-dir'] === 'EMPTY' ? emptyDir() : (given['source-dir'] ?? (await site()));
    const r = await publishRun({ 'artifact-version': 'bad-input', ...given, 'source-dir': sourceDir });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(pattern)]);
    expect(r.outputs).toEqual({});
    expect(await keysUnder('bad-input')).toEqual([]);
  });

  it('an unknown session token: one line about the credentials, not a missing permission', async () => {
    const r = await publishRun(
      { 'source-dir': await site(), 'artifact-version': 'token' },
      { AWS_SESSION_TOKEN: 'not-a-token' },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^s3-publish: S3 rejected the credentials \(\w+\) during ListObjectsV2 .*check the access key, secret and session token$/,
      ),
    ]);
    expect(r.masked).toContain('not-a-token');
  });

  it('a bucket that does not exist: one line naming it, exit 1', async () => {
    const r = await publishRun({ 'source-dir': await site(), 'artifact-version': 'nb', bucket: 'no-such-bucket-4b1d' });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(/^s3-publish: bucket "no-such-bucket-4b1d" does not exist \(ListObjectsV2/),
    ]);
  });

  it('an unreachable endpoint: one line naming it after bounded retries, exit 1, nothing written', async () => {
    const r = await publishRun({
      'source-dir': await site(),
      'artifact-version': 'unreachable',
      endpoint: 'http://127.0.0.1:9',
    });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      's3-publish: cannot reach S3 at http://127.0.0.1:9 (ECONNREFUSED) during ListObjectsV2: check the endpoint, ' +
        'network and proxy settings',
    ]);
    expect(r.ms).toBeLessThan(30_000);
    expect(await keysUnder('unreachable')).toEqual([]);
  });

  it('takes the region from AWS_DEFAULT_REGION, which the JS SDK alone would ignore', async () => {
    const r = await publishRun(
      { 'source-dir': await site(), 'artifact-version': 'region-1', 'dry-run': 'true' },
      { AWS_REGION: undefined, AWS_DEFAULT_REGION: s3.region },
    );
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('excludes globs given with commas, braces kept whole', async () => {
    const r = await publishRun({
      'source-dir': await site(),
      'artifact-version': 'excl-1',
      exclude: 'data/**/*.{csv,bin}, ./assets/img/*',
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs['files-uploaded']).toBe('4');
    expect(r.summary).toMatch(/\| Excluded \| 3: /);
    expect(await keysUnder('excl-1')).toEqual([
      'VERSION',
      'assets/app-3f2a1b9c.js',
      'assets/app-9d8e7f6a.css',
      'index.html',
      'manifest.json',
      'model_metadata.json',
    ]);
  });
});
