import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createS3Client, publish } from '../../packages/s3-publish/src/index.js';
import { listKeys, makeSite, removeDir, sandbox, type S3Sandbox } from './helpers.js';

let sb: S3Sandbox;
let site: string;
beforeAll(async () => {
  sb = await sandbox('sync');
  site = await makeSite({ 'index.html': 'v1', 'a.js': 'a', 'b/c.css': 'c', 'b/gone.txt': 'bye', 'keep.json': '{}' });
});
afterAll(async () => {
  await sb?.cleanup();
  await removeDir(site);
});

/** A publish client that counts the write requests it sends, by operation. */
function countingClient() {
  const client = createS3Client({ ...sb.conn, concurrency: 4 });
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName).replace(/Command$/, '');
      counts[op] = (counts[op] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countOps' },
  );
  return { client, counts };
}

it('syncs a mutable prefix: uploads only the changed file, deletes the removed one, touches nothing else', async () => {
  const first = await publish({
    ...sb.conn,
    sourceDir: site,
    bucket: sb.bucket,
    prefix: sb.prefix,
    artifactVersion: 'latest',
    delete: true,
  });
  expect(first.filesUploaded).toBe(5);
  // An object outside the synced prefix must survive.
  await sb.client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/other/x.txt`, Body: 'x' }));
  const head = (p: string) =>
    sb.client.send(new HeadObjectCommand({ Bucket: sb.bucket, Key: `${sb.prefix}/latest/${p}` }));
  const before = Object.fromEntries(
    await Promise.all(
      ['a.js', 'b/c.css', 'keep.json'].map(async (p): Promise<[string, number]> => [
        p,
        (await head(p)).LastModified!.getTime(),
      ]),
    ),
  );

  // LastModified has one-second resolution: make sure a rewrite would show.
  await new Promise((r) => setTimeout(r, 1100));
  await writeFile(join(site, 'index.html'), 'v2');
  await rm(join(site, 'b/gone.txt'));

  const { client, counts } = countingClient();
  try {
    const r = await publish({
      ...sb.conn,
      client,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'latest',
      delete: true,
    });
    expect(r.filesUploaded).toBe(1);
    expect(r.filesSkipped).toBe(3);
    expect(r.filesDeleted).toBe(1);
    expect(r.actions.filter((a) => a.type === 'upload').map((a) => a.key)).toEqual([`${sb.prefix}/latest/index.html`]);
    expect(r.actions.filter((a) => a.type === 'delete').map((a) => a.key)).toEqual([`${sb.prefix}/latest/b/gone.txt`]);
    // index.html + manifest.json + VERSION; no HEADs needed since the previous manifest knew every hash.
    expect(counts.PutObject).toBe(3);
    expect(counts.DeleteObjects).toBe(1);
    expect(counts.HeadObject ?? 0).toBe(0);
  } finally {
    client.destroy();
  }
  for (const [p, t] of Object.entries(before)) expect((await head(p)).LastModified!.getTime(), p).toBe(t);
  expect(await listKeys(sb.client, sb.bucket, `${sb.prefix}/`)).toEqual(
    [
      'latest/VERSION',
      'latest/a.js',
      'latest/b/c.css',
      'latest/index.html',
      'latest/keep.json',
      'latest/manifest.json',
      'other/x.txt',
    ]
      .map((k) => `${sb.prefix}/${k}`)
      .sort(),
  );

  // Nothing changed: nothing written at all.
  const { client: c2, counts: n2 } = countingClient();
  try {
    const r = await publish({
      ...sb.conn,
      client: c2,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'latest',
      delete: true,
    });
    expect(r.filesUploaded + r.filesDeleted).toBe(0);
    expect(n2.PutObject ?? 0).toBe(0);
  } finally {
    c2.destroy();
  }
});

it('without a manifest, reads stored checksums with HeadObject to find unchanged files', async () => {
  const base = `${sb.prefix}/nomanifest/`;
  for (const [p, body] of [
    ['index.html', 'v2'],
    ['a.js', 'old'],
  ] as const) {
    const { createHash } = await import('node:crypto');
    await sb.client.send(
      new PutObjectCommand({
        Bucket: sb.bucket,
        Key: base + p,
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
    );
  }
  const r = await publish({
    ...sb.conn,
    sourceDir: site,
    bucket: sb.bucket,
    prefix: sb.prefix,
    artifactVersion: 'nomanifest',
    delete: true,
  });
  expect(r.actions.filter((a) => a.type === 'skip').map((a) => a.key)).toEqual([`${base}index.html`]);
  expect(r.filesUploaded).toBe(3); // a.js changed, b/c.css and keep.json new
});
