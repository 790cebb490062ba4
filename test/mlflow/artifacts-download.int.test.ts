import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdir } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RetryPolicy } from '../../packages/action-kit/src/http.js';
import { MlflowClient, type Auth } from '../../packages/mlflow-client/src/index.js';
import { DownloadDirError, downloadModelArtifacts } from '../../packages/mlflow-client/src/artifacts/index.js';
import { startCuttingProxy } from '../helpers/fault-proxy.js';
import { sandbox, type S3Sandbox } from '../s3/helpers.js';
import {
  makeModelFiles,
  mlflowCliDownload,
  seedArtifacts,
  treeBytes,
  treeDigest,
  type ArtifactSeed,
} from './artifacts-fixture.js';

const { python, plain, auth } = inject('mlflow');
const retry: RetryPolicy = {
  maxRetries: 3,
  backoffFactor: 0.05,
  backoffJitter: 0,
  maxBackoffSeconds: 1,
  timeoutMs: 30_000,
};
const BIG = 'data/nested/deeper/weights.bin';
// The Python client writes this beside a models:/ download; it is not one of the model's artifacts.
const CLI_ONLY = 'registered_model_meta';

const work = mkdtempSync(join(tmpdir(), 'artifacts-dl-'));
const clients: MlflowClient[] = [];
let source: string;
let sourceTree: Record<string, string>;
let seed: ArtifactSeed;
let cliTree: Record<string, string>;

function client(trackingUri = plain.url, authn: Auth = { kind: 'none' }, policy = retry): MlflowClient {
  const c = new MlflowClient({ trackingUri, auth: authn, retry: policy });
  clients.push(c);
  return c;
}

const fresh = (label: string) => join(mkdtempSync(join(work, `${label}-`)), 'model');

function withoutCliOnly(tree: Record<string, string>): Record<string, string> {
  const { [CLI_ONLY]: _, ...rest } = tree;
  return rest;
}

beforeAll(async () => {
  source = join(work, 'source');
  makeModelFiles(source, { bigBytes: 48 << 20, smallFiles: 120 });
  sourceTree = await treeDigest(source);
  seed = await seedArtifacts(python, plain.url, source, 'downloaded-model', join(work, 'seed.json'));
  const cliDir = await mlflowCliDownload(python, plain.url, `models:/${seed.logged_model_id}`, join(work, 'cli'));
  cliTree = await treeDigest(cliDir);
}, 600_000);

afterAll(() => {
  for (const c of clients) c.close();
  rmSync(work, { recursive: true, force: true });
});

describe('model artifacts through the artifact proxy of a real MLflow server', () => {
  it('a models:/m-… version (MLflow 3 logged model) arrives byte-identical to mlflow artifacts download', async () => {
    const c = client();
    const version = await c.getModelVersion(seed.model_name, seed.versions.logged_model);
    expect(version.source).toBe(`models:/${seed.logged_model_id}`);
    const dest = fresh('logged');
    // The large file in ranges fetched in parallel (48 MiB in 4 MiB parts), the rest whole.
    const result = await downloadModelArtifacts(c, { from: { version }, dest, partBytes: 4 << 20 });
    const ours = await treeDigest(dest);
    expect(ours).toEqual(withoutCliOnly(cliTree));
    expect(ours).toEqual(sourceTree);
    expect(result.files).toBe(Object.keys(sourceTree).length);
    expect(result.bytes).toBe(treeBytes(source));
    expect(result.listing.find((f) => f.path === BIG)?.size).toBe(48 << 20);
    expect(result.location).toMatchObject({ kind: 'proxy', uri: seed.logged_model_artifact_uri });
  });

  it('a runs:/ version whose files are run artifacts (MLflow 2), and one MLflow 3 keeps as the run’s logged model', async () => {
    const c = client();
    for (const v of [seed.versions.run_artifacts, seed.versions.run_logged_model]) {
      const version = await c.getModelVersion(seed.model_name, v);
      expect(version.source).toMatch(/^runs:\//);
      const dest = fresh(`run-${v}`);
      await downloadModelArtifacts(c, { from: { version }, dest });
      const cliDir = await mlflowCliDownload(python, plain.url, version.source!, join(work, `cli-run-${v}`));
      expect(await treeDigest(dest)).toEqual(withoutCliOnly(await treeDigest(cliDir)));
    }
  });

  it.each([
    ['streamed whole', undefined, 2],
    ['fetched in 6 ranges of 8 MiB', 8 << 20, 7],
  ])(
    'a connection reset in the middle of the large file (%s) is retried, and it arrives whole',
    async (_, partBytes, gets) => {
      const proxy = await startCuttingProxy(new URL(plain.url), (path, n) =>
        path.endsWith('weights.bin') && n === 0 ? 1 << 20 : undefined,
      );
      try {
        const dest = fresh('reset');
        const result = await downloadModelArtifacts(client(proxy.url), {
          from: { uri: `models:/${seed.logged_model_id}` },
          dest,
          partBytes,
        });
        expect(proxy.cuts).toHaveLength(1);
        expect(proxy.requests.filter((p) => p.endsWith('weights.bin'))).toHaveLength(gets);
        // Ranges are served as ranges (206) by the real server, not the whole file each time.
        expect(proxy.statuses.filter((st) => st === 206)).toHaveLength(partBytes ? gets : 0);
        expect(await treeDigest(dest)).toEqual(sourceTree);
        expect(result.bytes).toBe(treeBytes(source));
      } finally {
        await proxy.close();
      }
    },
  );

  it('a download that keeps failing leaves no directory, not even the parents it created', async () => {
    const proxy = await startCuttingProxy(new URL(plain.url), (path) =>
      path.endsWith('weights.bin') ? 4 << 20 : undefined,
    );
    const base = mkdtempSync(join(work, 'failing-'));
    try {
      const dest = join(base, 'a', 'b', 'model');
      const c = client(proxy.url, { kind: 'none' }, { ...retry, maxRetries: 1 });
      await expect(
        downloadModelArtifacts(c, { from: { uri: `models:/${seed.logged_model_id}` }, dest }),
      ).rejects.toThrow(
        `could not download ${BIG} from ${seed.logged_model_artifact_uri}: connection reset by peer (gave up after 2 attempts)`,
      );
      expect(proxy.cuts).toHaveLength(2);
      expect(readdirSync(base)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('an aborted download (the job cancelled) stops its transfers and leaves nothing', async () => {
    const stop = new AbortController();
    const proxy = await startCuttingProxy(new URL(plain.url), (path) => {
      if (path.endsWith('weights.bin')) stop.abort(new Error('cancelled'));
      return undefined;
    });
    const base = mkdtempSync(join(work, 'aborted-'));
    try {
      const dest = join(base, 'model');
      await expect(
        downloadModelArtifacts(client(proxy.url), {
          from: { uri: `models:/${seed.logged_model_id}` },
          dest,
          signal: stop.signal,
        }),
      ).rejects.toThrow('cancelled');
      expect(await readdir(base)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a download-dir that holds files, before fetching anything, and leaves it as it was', async () => {
    const dest = fresh('busy');
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'keep.txt'), 'mine');
    const err = await downloadModelArtifacts(client(), {
      from: { uri: `models:/${seed.logged_model_id}` },
      dest,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadDirError);
    expect((err as DownloadDirError).message).toBe(
      `download-dir '${dest}' already holds files: name a new directory, or remove it first`,
    );
    expect(readdirSync(dest)).toEqual(['keep.txt']);
    expect(readFileSync(join(dest, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('an empty download-dir that exists is filled in place', async () => {
    const dest = fresh('empty');
    mkdirSync(dest, { recursive: true });
    await downloadModelArtifacts(client(), { from: { uri: seed.logged_model_artifact_uri }, dest });
    expect(await treeDigest(dest)).toEqual(sourceTree);
    expect(readdirSync(join(dest, '..'))).toEqual(['model']); // no hidden partial sibling left
  });

  it('a source the runner cannot read is refused with what to do', async () => {
    const dest = fresh('local');
    await expect(
      downloadModelArtifacts(client(), { from: { uri: '/srv/mlflow/artifacts/1/abc/model' }, dest }),
    ).rejects.toThrow(
      "the model's artifacts are at '/srv/mlflow/artifacts/1/abc/model', a path on the MLflow server's own disk that " +
        'the runner cannot read',
    );
    expect(existsSync(dest)).toBe(false);
  });
});

describe('credentials as for the metadata', () => {
  let authSeed: ArtifactSeed;
  let authSource: string;
  beforeAll(async () => {
    authSource = join(work, 'auth-source');
    makeModelFiles(authSource, { bigBytes: 3 << 20, smallFiles: 5 });
    authSeed = await seedArtifacts(
      python,
      auth.url,
      authSource,
      'guarded-model',
      join(work, 'auth-seed.json'),
      auth.admin,
    );
  }, 300_000);

  it('without credentials the server answers 401 and the message says how to authenticate', async () => {
    const dest = fresh('anon');
    await expect(
      downloadModelArtifacts(client(auth.url), { from: { uri: `models:/${authSeed.logged_model_id}` }, dest }),
    ).rejects.toThrow(
      `MLflow at ${auth.url} answered 401 Unauthenticated: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD`,
    );
    expect(existsSync(dest)).toBe(false);
  });

  it('basic credentials and a bearer token both read the files', async () => {
    const expected = await treeDigest(authSource);
    const ways: Auth[] = [
      { kind: 'basic', ...auth.admin },
      { kind: 'bearer', token: auth.bearerToken },
    ];
    for (const a of ways) {
      const dest = fresh(a.kind);
      const c = client(auth.url, a);
      const version = await c.getModelVersion(authSeed.model_name, authSeed.versions.logged_model);
      await downloadModelArtifacts(c, { from: { version }, dest });
      expect(await treeDigest(dest)).toEqual(expected);
    }
  });
});

describe('an s3:// source, read straight from the store', () => {
  let box: S3Sandbox;
  beforeAll(async () => {
    box = await sandbox('model-src');
  });
  afterAll(() => box?.cleanup());

  it('a version registered from s3:// is read with the SDK, not through the tracking server', async () => {
    const prefix = `${box.prefix}/models/s3-model`;
    for (const rel of Object.keys(sourceTree)) {
      await box.client.send(
        new PutObjectCommand({ Bucket: box.bucket, Key: `${prefix}/${rel}`, Body: readFileSync(join(source, rel)) }),
      );
    }
    const c = client();
    const name = `s3-sourced-${Date.now()}`;
    await c.post('registered-models/create', { name });
    const { model_version: mv } = await c.post<{ model_version: { version: string } }>('model-versions/create', {
      name,
      source: `s3://${box.bucket}/${prefix}`,
    });
    const version = await c.getModelVersion(name, mv.version);
    const dest = fresh('s3');
    const result = await downloadModelArtifacts(c, {
      from: { version },
      dest,
      s3: { endpoint: box.conn.endpoint, region: box.conn.region, credentials: box.conn.credentials },
    });
    expect(result.location).toEqual({
      kind: 's3',
      bucket: box.bucket,
      key: prefix,
      uri: `s3://${box.bucket}/${prefix}`,
    });
    expect(await treeDigest(dest)).toEqual(sourceTree);
  });
});
