import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';
import { listKeys, sandbox, type S3Sandbox } from './helpers.js';

// The committed s3-publish bundle, run as the runner runs it, against the real S3 server.
const s3 = inject('s3');
let box: S3Sandbox;
beforeAll(async () => {
  box = await sandbox('action');
});
afterAll(() => box.cleanup());

function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
  writeFileSync(join(dir, 'model_metadata.json'), '{"model_name":"m"}');
  writeFileSync(join(dir, 'assets', 'app-3f2a1b9c.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app-9d8e7f6a.css'), 'body{}');
  return dir;
}

const env = () => ({
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_REGION: s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
});

async function publishRun(inputs: Record<string, string>) {
  const base: Record<string, string> = { bucket: box.bucket, prefix: box.prefix };
  if (s3.endpoint) Object.assign(base, { endpoint: s3.endpoint, 'force-path-style': 'true' });
  return runActionBundle('s3-publish', { ...base, ...inputs }, { env: env(), cwd: mkdtempSync(join(tmpdir(), 's3a-')) });
}

describe('s3-publish action', () => {
  it('publishes a nested site as one version, with outputs, summary and headers read back', async () => {
    const r = await publishRun({ 'source-dir': site(), 'model-name': 'prod recs/engine', 'model-version': '3' });
    expect(r.errors, r.stdout + r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const version = r.outputs['artifact-version']!;
    expect(version).toMatch(/^prod-recs-engine-3-\d{10}$/);
    expect(r.outputs['s3-uri']).toBe(`s3://${box.bucket}/${box.prefix}/${version}/`);
    expect(r.outputs['files-uploaded']).toBe('4');
    const keys = await listKeys(box.client, box.bucket, `${box.prefix}/${version}/`);
    expect(keys.map((k) => k.slice(`${box.prefix}/${version}/`.length)).sort()).toEqual(
      ['VERSION', 'assets/app-3f2a1b9c.js', 'assets/app-9d8e7f6a.css', 'index.html', 'manifest.json', 'model_metadata.json'],
    );
    const head = (k: string) => box.client.send(new HeadObjectCommand({ Bucket: box.bucket, Key: `${box.prefix}/${version}/${k}` }));
    expect((await head('assets/app-3f2a1b9c.js')).CacheControl).toBe('public, max-age=31536000, immutable');
    expect((await head('index.html')).ContentType).toMatch(/^text\/html/);
    expect((await head('index.html')).CacheControl).toBe('no-cache');
    const v = await box.client.send(new GetObjectCommand({ Bucket: box.bucket, Key: `${box.prefix}/${version}/VERSION` }));
    expect((await v.Body!.transformToString()).trim()).toBe(version);
    expect(r.summary).toContain('### S3 publish');
    expect(r.masked).toContain(s3.secretAccessKey);
  });

  it('refuses to overwrite an existing version: one line naming it, nothing rewritten', async () => {
    const dir = site();
    const first = await publishRun({ 'source-dir': dir, 'artifact-version': 'fixed-1' });
    expect(first.code).toBe(0);
    const again = await publishRun({ 'source-dir': dir, 'artifact-version': 'fixed-1' });
    expect(again.code).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(/^s3-publish: .*fixed-1.*(exists|already)/i);
    expect(again.outputs).toEqual({});
  });

  it('dry-run lists what it would do and writes nothing', async () => {
    const r = await publishRun({ 'source-dir': site(), 'artifact-version': 'dry-1', 'dry-run': 'true' });
    expect(r.code).toBe(0);
    expect(r.summary).toContain('What would change');
    expect(await listKeys(box.client, box.bucket, `${box.prefix}/dry-1/`)).toEqual([]);
  });

  it.each([
    [{ 'source-dir': '' }, /input 'source-dir' is required/],
    [{ 'source-dir': '/no/such/dir' }, /input 'source-dir' '\/no\/such\/dir' does not exist/],
    [{ bucket: 'Bad_Bucket' }, /input 'bucket': invalid bucket name "Bad_Bucket"/],
    [{ 'dry-run': 'yes' }, /input 'dry-run' must be true or false/],
    [{ 'artifact-version': '../x' }, /input 'artifact-version': artifact-version "\.\.\/x" may only use/],
    [{ overwrite: 'true', delete: 'true' }, /inputs 'overwrite' and 'delete' conflict/],
    [{ 'artifact-version': '', 'model-name': '' }, /input 'artifact-version' is required, or 'model-name' and 'model-version'/],
  ])('bad input %o: one line, exit 1', async (inputs, pattern) => {
    const r = await publishRun({ 'source-dir': site(), 'artifact-version': 'bad-input', ...inputs } as Record<string, string>);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(pattern)]);
    expect(await listKeys(box.client, box.bucket, `${box.prefix}/bad-input/`)).toEqual([]);
  });

  it('an empty source-dir, a missing bucket and an unreachable endpoint each get one line', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'empty-'));
    const e1 = await publishRun({ 'source-dir': empty, 'artifact-version': 'e1' });
    expect(e1.code).toBe(1);
    expect(e1.errors).toEqual([expect.stringMatching(/empty/i)]);
    const e2 = await publishRun({ 'source-dir': site(), 'artifact-version': 'e2', bucket: 'no-such-bucket-4b1d' });
    expect(e2.code).toBe(1);
    expect(e2.errors).toEqual([expect.stringMatching(/no-such-bucket-4b1d/)]);
    const e3 = await publishRun({ 'source-dir': site(), 'artifact-version': 'e3', endpoint: 'http://127.0.0.1:9', 'force-path-style': 'true' });
    expect(e3.code).toBe(1);
    expect(e3.errors).toHaveLength(1);
    expect(e3.errors[0]).toMatch(/127\.0\.0\.1:9|unreachable|connect/i);
  });
});
