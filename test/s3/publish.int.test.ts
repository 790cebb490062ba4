import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InputError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { createS3Client, publish, type Manifest } from '../../packages/s3-publish/src/index.js';
import { downloadSha256, listKeys, makeSite, removeDir, sandbox, sha256, type S3Sandbox } from './helpers.js';

const SITE: Record<string, string> = {
  'index.html': '<!doctype html><title>viewer</title><script src="assets/index-3f2a1b9c.js"></script>',
  'assets/index-3f2a1b9c.js': 'console.log("viewer")',
  'assets/style.0123456789abcdef.css': 'body{margin:0}',
  'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'data/model.json': '{"name":"iris","version":"3"}',
  'data/deep/nested/weights.bin': 'x'.repeat(5000),
  'favicon.ico': 'ico',
};

let sb: S3Sandbox;
let site: string;

beforeAll(async () => {
  sb = await sandbox('publish');
  site = await makeSite(SITE);
});
afterAll(async () => {
  await sb?.cleanup();
  await removeDir(site);
});

describe('publish to a real S3 server', () => {
  let result: Awaited<ReturnType<typeof publish>>;

  it('uploads every file, then manifest.json, then VERSION', async () => {
    result = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'v1',
    });
    expect(result.filesUploaded).toBe(Object.keys(SITE).length);
    expect(result.bytesUploaded).toBe(Object.values(SITE).reduce((n, s) => n + Buffer.byteLength(s), 0));
    expect(result.s3Uri).toBe(`s3://${sb.bucket}/${sb.prefix}/v1/`);
    expect(result.outputs).toEqual({
      'artifact-version': 'v1',
      's3-uri': result.s3Uri,
      'files-uploaded': '7',
      'bytes-uploaded': String(result.bytesUploaded),
    });
    const types = result.actions.map((a) => a.type);
    expect(types.slice(-2)).toEqual(['write-manifest', 'write-version']);
    const keys = await listKeys(sb.client, sb.bucket, `${sb.prefix}/v1/`);
    expect(keys).toEqual([...Object.keys(SITE), 'manifest.json', 'VERSION'].map((p) => `${sb.prefix}/v1/${p}`).sort());
  });

  it('wrote VERSION with a conditional (If-None-Match) PUT', () => {
    expect(result.conditionalWrite).toBe(true);
  });

  it('fails when another run publishes the same version meanwhile (conditional write refused)', async () => {
    const client = createS3Client(sb.conn);
    // Just before our VERSION write, a "concurrent publisher" writes its own VERSION.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (context.commandName === 'PutObjectCommand' && input.Key?.endsWith('/race/VERSION')) {
          await sb.client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: input.Key, Body: 'other\n' }));
        }
        return next(args);
      },
      { step: 'initialize', name: 'race' },
    );
    try {
      const e = (await publish({
        ...sb.conn,
        client,
        sourceDir: site,
        bucket: sb.bucket,
        prefix: sb.prefix,
        artifactVersion: 'race',
      }).catch((x: unknown) => x)) as Error;
      expect(e).toBeInstanceOf(ServiceError);
      expect(e.message).toContain('artifact version "race" was published by another run while this one was uploading');
      const v = await sb.client.send(new GetObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/race/VERSION` }));
      expect(await v.Body!.transformToString()).toBe('other\n');
    } finally {
      client.destroy();
    }
  });

  it('sets content types and cache headers by name', async () => {
    const head = (p: string) =>
      sb.client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/v1/${p}` }));
    const expected: Record<string, [string, string]> = {
      'index.html': ['text/html; charset=utf-8', 'no-cache'],
      'assets/index-3f2a1b9c.js': ['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      'assets/style.0123456789abcdef.css': ['text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      'assets/logo.svg': ['image/svg+xml; charset=utf-8', 'public, max-age=300'],
      'data/model.json': ['application/json; charset=utf-8', 'no-cache'],
      'data/deep/nested/weights.bin': ['application/octet-stream', 'public, max-age=300'],
      VERSION: ['text/plain; charset=utf-8', 'no-cache'],
      'manifest.json': ['application/json; charset=utf-8', 'no-cache'],
    };
    for (const [path, [type, cache]] of Object.entries(expected)) {
      const h = await head(path);
      expect([path, h.ContentType, h.CacheControl]).toEqual([path, type, cache]);
    }
  });

  it('stores SHA-256 checksums that match the local files', async () => {
    for (const [path, content] of Object.entries(SITE)) {
      const key = `${sb.prefix}/v1/${path}`;
      const h = await sb.client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(Buffer.from(h.ChecksumSHA256!, 'base64').toString('hex')).toBe(sha256(content));
      const got = await downloadSha256(sb.client, sb.bucket, key);
      expect(got.sha256).toBe(sha256(content));
    }
    const res = await sb.client.send(new GetObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/v1/manifest.json` }));
    const manifest = JSON.parse(await res.Body!.transformToString()) as Manifest;
    expect(manifest.artifactVersion).toBe('v1');
    expect(manifest.files.map((f) => [f.path, f.size, f.sha256])).toEqual(
      Object.entries(SITE)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([p, c]) => [p, Buffer.byteLength(c), sha256(c)]),
    );
    const version = await sb.client.send(new GetObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/v1/VERSION` }));
    expect((await version.Body!.transformToString()).trim()).toBe('v1');
  });

  it('refuses to overwrite an existing version, naming it and when it was written', async () => {
    const h = await sb.client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/v1/VERSION` }));
    const err = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'v1',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    const msg = (err as Error).message;
    expect(msg).toContain('artifact version "v1" already exists');
    expect(msg).toContain(h.LastModified!.toISOString().slice(0, 16));
    expect(msg).not.toContain('\n');
  });

  it('overwrites when asked, sending only what changed', async () => {
    const site2 = await makeSite({ ...SITE, 'index.html': '<!doctype html><title>viewer 2</title>' });
    try {
      const r = await publish({
        ...sb.conn,
        sourceDir: site2,
        bucket: sb.bucket,
        prefix: sb.prefix,
        artifactVersion: 'v1',
        overwrite: true,
      });
      expect(r.filesUploaded).toBe(1);
      expect(r.filesSkipped).toBe(6);
      expect((await downloadSha256(sb.client, sb.bucket, `${sb.prefix}/v1/index.html`)).sha256).toBe(
        sha256('<!doctype html><title>viewer 2</title>'),
      );
    } finally {
      await removeDir(site2);
    }
  });

  it('derives a safe default artifact version from the model', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const r = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      model: { name: 'Iris Classifier/prod', version: 3 },
      now: () => now,
      dryRun: true,
    });
    expect(r.artifactVersion).toBe(`Iris-Classifier-prod-3-${now.getTime() / 1000}`);
  });

  it('dry run lists the plan and writes nothing', async () => {
    const r = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'dry',
      dryRun: true,
    });
    expect(r.dryRun).toBe(true);
    expect(r.filesUploaded).toBe(7);
    expect(r.actions.filter((a) => a.type === 'upload')).toHaveLength(7);
    expect(r.actions.map((a) => a.type)).toContain('write-version');
    expect(await listKeys(sb.client, sb.bucket, `${sb.prefix}/dry/`)).toEqual([]);
  });

  it('honours exclude globs, and only those', async () => {
    const r = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'ex',
      exclude: ['**/*.bin', 'favicon.ico'],
    });
    expect(r.excluded.sort()).toEqual(['data/deep/nested/weights.bin', 'favicon.ico']);
    expect(r.filesUploaded).toBe(5);
  });

  it('applies cache-control rules before the defaults', async () => {
    const r = await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'rules',
      cacheControl: '# comment\n*.svg=public, max-age=86400\ndata/**=private, no-store\n',
    });
    expect(r.filesUploaded).toBe(7);
    const head = (p: string) =>
      sb.client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/rules/${p}` }));
    expect((await head('assets/logo.svg')).CacheControl).toBe('public, max-age=86400');
    expect((await head('data/model.json')).CacheControl).toBe('private, no-store');
    expect((await head('index.html')).CacheControl).toBe('no-cache');
  });

  it('validates inputs before any call', async () => {
    const bad = (o: Partial<Parameters<typeof publish>[0]>) =>
      publish({ ...sb.conn, sourceDir: site, bucket: sb.bucket, prefix: sb.prefix, artifactVersion: 'x', ...o }).catch(
        (e: unknown) => e,
      ) as Promise<Error>;
    for (const [o, text] of [
      [{ bucket: 'My_Bucket' }, 'invalid bucket name "My_Bucket"'],
      [{ bucket: 's3://foo/bar' }, 'not an s3:// URI'],
      [{ prefix: '../up' }, '".." segment'],
      [{ prefix: '/abs' }, 'is absolute'],
      [{ prefix: 'a\\b' }, 'backslash'],
      [{ artifactVersion: 'v 1/../x' }, 'artifact-version "v 1/../x" may only use'],
      [{ artifactVersion: undefined }, 'artifact-version is not set'],
      [{ sourceDir: '/nonexistent/site' }, 'source-dir "/nonexistent/site" does not exist'],
      [{ concurrency: 0 }, 'concurrency must be'],
      [{ cacheControl: 'nonsense' }, 'must look like "glob=value"'],
    ] as const) {
      const e = await bad(o);
      expect(e, JSON.stringify(o)).toBeInstanceOf(InputError);
      expect(e.message).toContain(text);
    }
    const empty = await makeSite({});
    try {
      const e = await bad({ sourceDir: empty });
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toContain('is empty');
    } finally {
      await removeDir(empty);
    }
  });

  it('says when the bucket does not exist', async () => {
    const e = (await publish({
      ...sb.conn,
      sourceDir: site,
      bucket: `${sb.bucket}-missing`,
      artifactVersion: 'x',
    }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).toBe(
      `bucket "${sb.bucket}-missing" does not exist (ListObjectsV2 s3://${sb.bucket}-missing/model-viewer/x/); create ` +
        'it or fix the bucket input',
    );
  });

  it('says when the endpoint is unreachable', async () => {
    const e = (await publish({
      ...sb.conn,
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 2,
      sourceDir: site,
      bucket: sb.bucket,
      artifactVersion: 'x',
    }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).toMatch(/^cannot reach S3 at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\) during ListObjectsV2/);
  });

  // moto (the fallback server) accepts any credentials.
  it.skipIf(inject('s3').kind === 'moto')('says when the credentials are wrong', async () => {
    const e = (await publish({
      ...sb.conn,
      credentials: { accessKeyId: 'nobody', secretAccessKey: 'wrong-secret' },
      sourceDir: site,
      bucket: sb.bucket,
      artifactVersion: 'x',
    }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).toMatch(/S3 rejected the credentials \(InvalidAccessKeyId\) during ListObjectsV2/);
  });
});
