import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, ServiceError } from '@mlflow-actions/action-kit/errors';
import {
  artifactVersionProblem,
  bucketNameProblem,
  cacheControlFor,
  contentTypeFor,
  defaultArtifactVersion,
  isHashedName,
  normalizePrefix,
  parseCacheRules,
  plan,
  sanitizeVersion,
  toServiceError,
  walkSourceDir,
} from '../../packages/s3-publish/src/index.js';
import { removeDir } from './helpers.js';

describe('artifact versions', () => {
  it('sanitizes for S3 keys and YAML, keeping case', () => {
    expect(sanitizeVersion('Iris Classifier/prod-3-1700000000')).toBe('Iris-Classifier-prod-3-1700000000');
    expect(sanitizeVersion('  --a//b..c__d--  ')).toBe('a-b.c_d');
    expect(sanitizeVersion('ü@#$')).toBe('');
    expect(defaultArtifactVersion('my model', 7, new Date(1_700_000_000_500))).toBe('my-model-7-1700000000');
  });
  it('refuses unsafe explicit versions with a suggestion', () => {
    expect(artifactVersionProblem('v1.2.3_rc-1')).toBeUndefined();
    expect(artifactVersionProblem('v1 beta')).toContain('(for example "v1-beta")');
    expect(artifactVersionProblem('..')).toBeDefined();
    expect(artifactVersionProblem('-x')).toBeDefined();
    expect(artifactVersionProblem('a'.repeat(129))).toContain('longer than 128');
  });
});

describe('bucket and prefix', () => {
  it.each(['my-bucket', 'a.b.c', 'abc', '1bucket'])('accepts %s', (b) => expect(bucketNameProblem(b)).toBeUndefined());
  it.each([
    'ab',
    'My-Bucket',
    'under_score',
    '-start',
    'end-',
    'a..b',
    '192.168.1.1',
    'xn--abc',
    'b-s3alias',
    's3://b',
    '',
    'a'.repeat(64),
  ])('refuses %s', (b) => expect(bucketNameProblem(b)).toBeDefined());
  it('normalizes and checks prefixes', () => {
    expect(normalizePrefix('a/b/')).toEqual({ prefix: 'a/b' });
    expect(normalizePrefix('')).toEqual({ prefix: '' });
    expect(normalizePrefix('a/../b').problem).toContain('".."');
    expect(normalizePrefix('/a').problem).toContain('absolute');
    expect(normalizePrefix('a\\b').problem).toContain('backslash');
    expect(normalizePrefix('a//b').problem).toContain('empty segment');
  });
});

describe('cache-control and content type', () => {
  it('defaults by name', () => {
    expect(cacheControlFor('assets/index-3f2a1b9c.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('main.0123456789abcdef.css')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('index.html')).toBe('no-cache');
    expect(cacheControlFor('sub/data.json')).toBe('no-cache');
    expect(cacheControlFor('VERSION')).toBe('no-cache');
    expect(cacheControlFor('logo.png')).toBe('public, max-age=300');
    expect(cacheControlFor('index-3f2a1b9.js')).toBe('public, max-age=300'); // 7 hex: not a hash
    expect(isHashedName('app-deadbeef.js')).toBe(true);
    expect(isHashedName('app-notahash.js')).toBe(false);
  });
  it('applies rules first, in order, basename globs anywhere', () => {
    const { rules, problems } = parseCacheRules([
      '*.png=public, max-age=86400',
      'assets/**=private',
      '# c',
      '',
      '*.png=ignored',
    ]);
    expect(problems).toEqual([]);
    expect(cacheControlFor('a/b/x.png', rules)).toBe('public, max-age=86400');
    expect(cacheControlFor('assets/index-3f2a1b9c.js', rules)).toBe('private');
    expect(cacheControlFor('index.html', rules)).toBe('no-cache');
    expect(parseCacheRules('oops\n=x\n*.a=').problems).toHaveLength(3);
  });
  it('content types with charset for text', () => {
    expect(contentTypeFor('a.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.wasm')).toBe('application/wasm');
    expect(contentTypeFor('model.onnx')).toBe('application/octet-stream');
    expect(contentTypeFor('x/VERSION')).toBe('text/plain; charset=utf-8');
  });
});

describe('walkSourceDir', () => {
  let dir: string;
  let outside: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'walk-'));
    outside = await mkdtemp(join(tmpdir(), 'outside-'));
    await mkdir(join(dir, 'a/b'), { recursive: true });
    await writeFile(join(dir, 'a/b/c.txt'), 'c');
    await writeFile(join(dir, '.hidden'), 'h');
    await writeFile(join(outside, 'secret'), 's');
  });
  afterAll(async () => {
    await removeDir(dir);
    await removeDir(outside);
  });

  it('lists every file, dotfiles too, excluding only the given globs', async () => {
    await symlink(join(dir, 'a/b/c.txt'), join(dir, 'inside-link'));
    await symlink(join(dir, 'a'), join(dir, 'a/loop')); // a loop must not hang
    const r = await walkSourceDir(dir);
    expect(r.files.map((f) => f.path).sort()).toEqual(['.hidden', 'a/b/c.txt', 'inside-link']);
    const ex = await walkSourceDir(dir, ['**/*.txt']);
    expect(ex.excluded).toEqual(['a/b/c.txt']);
  });

  it('refuses symlinks pointing outside, and names that would escape the prefix', async () => {
    const d = await mkdtemp(join(tmpdir(), 'walk-bad-'));
    try {
      await writeFile(join(d, 'ok.txt'), 'ok');
      await symlink(join(outside, 'secret'), join(d, 'leak'));
      await writeFile(join(d, 'back\\slash.txt'), 'x');
      const e = (await walkSourceDir(d).catch((x: unknown) => x)) as InputError;
      expect(e).toBeInstanceOf(InputError);
      expect(e.problems).toHaveLength(2);
      expect(e.message).toContain('symlink "leak" points outside source-dir');
      expect(e.message).toContain('contains a backslash');
      // Excluding the offenders is the way out; nothing else is dropped.
      const ok = await walkSourceDir(d, ['leak', 'back*']);
      expect(ok.files.map((f) => f.path)).toEqual(['ok.txt']);
      expect(ok.excluded.sort()).toEqual(['back\\slash.txt', 'leak']);
    } finally {
      await removeDir(d);
    }
  });

  it('explains a missing, non-directory or empty source-dir', async () => {
    await expect(walkSourceDir('/no/such/dir')).rejects.toThrow('source-dir "/no/such/dir" does not exist');
    await expect(walkSourceDir(join(dir, '.hidden'))).rejects.toThrow('is not a directory');
    await expect(walkSourceDir('')).rejects.toThrow('source-dir is empty');
    const empty = await mkdtemp(join(tmpdir(), 'walk-empty-'));
    await expect(walkSourceDir(empty)).rejects.toThrow('is empty; build the site before publishing');
    await writeFile(join(empty, 'x.map'), '');
    await expect(walkSourceDir(empty, ['*.map'])).rejects.toThrow('no files left after exclude (1 excluded)');
    await removeDir(empty);
  });
});

describe('sync plan', () => {
  const files = [
    { path: 'same', absPath: '', size: 1, sha256: 'a'.repeat(64) },
    { path: 'changed', absPath: '', size: 1, sha256: 'b'.repeat(64) },
    { path: 'new', absPath: '', size: 1, sha256: 'c'.repeat(64) },
  ];
  const remote = new Map(
    [
      { key: 'p/v/same', size: 1, sha256: 'a'.repeat(64) },
      { key: 'p/v/changed', size: 1, sha256: 'd'.repeat(64) },
      { key: 'p/v/gone', size: 5 },
      { key: 'p/v/VERSION', size: 2 },
      { key: 'p/v/manifest.json', size: 9 },
    ].map((o) => [o.key, o]),
  );
  it('uploads new and changed, skips same, deletes gone but never its own manifest/VERSION', () => {
    const actions = plan({ files, base: 'p/v/', remote, compare: true, deleteGone: true });
    expect(actions.map((a) => `${a.type}:${a.key}:${a.reason}`)).toEqual([
      'skip:p/v/same:unchanged',
      'upload:p/v/changed:changed',
      'upload:p/v/new:new',
      'delete:p/v/gone:gone from source-dir',
    ]);
    expect(
      plan({ files, base: 'p/v/', remote, compare: true, deleteGone: false }).some((a) => a.type === 'delete'),
    ).toBe(false);
  });
});

describe('error messages', () => {
  const sdkError = (name: string, status: number) =>
    Object.assign(new Error(''), { name, $metadata: { httpStatusCode: status } });
  it('are one line and name the operation', () => {
    const t = { operation: 'PutObject', bucket: 'b', key: 'k' };
    expect(toServiceError(sdkError('NoSuchBucket', 404), t).message).toBe(
      'bucket "b" does not exist (PutObject s3://b/k); create it or fix the bucket input',
    );
    expect(toServiceError(sdkError('AccessDenied', 403), { ...t, operation: 'DeleteObjects' }).message).toContain(
      's3:DeleteObject',
    );
    expect(toServiceError(sdkError('Forbidden', 403), t).message).toContain('access denied: PutObject');
    const tagged = Object.defineProperty(sdkError('AccessDenied', 403), '$operation', {
      value: 'CreateMultipartUpload',
    });
    expect(toServiceError(tagged, t).message).toContain('CreateMultipartUpload on s3://b/k');
    const net = Object.assign(new Error('connect'), {
      cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    });
    expect(toServiceError(net, { ...t, endpoint: 'http://h:1' }).message).toBe(
      'cannot reach S3 at http://h:1 (ECONNREFUSED) during PutObject: check the endpoint, network and proxy settings',
    );
    const e = toServiceError(sdkError('SlowDown', 503), t);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.message).not.toContain('\n');
  });
});
