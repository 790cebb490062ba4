import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '@mlflow-actions/action-kit/errors';
import { parseInputs, splitGlobs } from '../../actions/s3-publish/src/inputs.js';

// The action's input parsing on its own (the bundle tests run it end to end): defaults and the
// rules that are easy to get subtly wrong.
const site = mkdtempSync(join(tmpdir(), 's3-inputs-'));
writeFileSync(join(site, 'index.html'), 'x');
afterAll(() => rmSync(site, { recursive: true, force: true }));

const env = (inputs: Record<string, string>, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(
    Object.entries({ 'source-dir': site, bucket: 'my-bucket', prefix: 'model-viewer', ...inputs }).map(([k, v]) => [
      `INPUT_${k.toUpperCase()}`,
      v,
    ]),
  ),
  ...extra,
});
const problems = (e: Record<string, string | undefined>): string[] => {
  try {
    parseInputs(e);
    return [];
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
};

describe('s3-publish inputs', () => {
  it('derives the artifact version from the model, safe for keys and YAML', () => {
    const i = parseInputs(
      env({ 'model-name': 'Prod Recs: engine/v2', 'model-version': '12' }),
      new Date(1_700_000_000_900),
    );
    expect(i.artifactVersion).toBe('Prod-Recs-engine-v2-12-1700000000');
  });

  it('defaults force-path-style to whether an endpoint is set, and the region from the environment', () => {
    expect(parseInputs(env({ 'artifact-version': 'v1' })).forcePathStyle).toBe(false);
    const minio = parseInputs(env({ 'artifact-version': 'v1', endpoint: 'http://127.0.0.1:9000/' }));
    expect(minio).toMatchObject({ forcePathStyle: true, endpoint: 'http://127.0.0.1:9000', region: undefined });
    expect(
      parseInputs(env({ 'artifact-version': 'v1', 'force-path-style': 'false', endpoint: 'https://s3.example.com' }))
        .forcePathStyle,
    ).toBe(false);
    expect(parseInputs(env({ 'artifact-version': 'v1' }, { AWS_DEFAULT_REGION: 'eu-west-1' })).region).toBe(
      'eu-west-1',
    );
    expect(
      parseInputs(env({ 'artifact-version': 'v1', region: 'us-east-2' }, { AWS_REGION: 'eu-west-1' })).region,
    ).toBe('us-east-2');
    expect(
      parseInputs(env({ 'artifact-version': 'v1', region: 'auto', endpoint: 'https://x.r2.cloudflarestorage.com' }))
        .region,
    ).toBe('auto');
  });

  it.each([
    [{ region: 'Europe' }, /^input 'region' must be an AWS region/],
    [{ endpoint: 'ftp://host' }, /^input 'endpoint' must be an http\(s\) URL/],
    [{ endpoint: 'https://key:secret@host' }, /^input 'endpoint' must not contain credentials/],
    [{ endpoint: 'http://minio.example.com:9000' }, /^input 'endpoint' is plain http to minio\.example\.com:9000, where AWS/],
    [{ 'cache-control': 'index.html' }, /^input 'cache-control' line 1 "index.html" must look like "glob=value"/],
    [{ 'artifact-version': 'v 1' }, /^input 'artifact-version': .*\(for example "v-1"\)/],
    [{ prefix: 'a/../b' }, /^input 'prefix': /],
    [{ 'artifact-version': '', 'model-name': 'm' }, /^input 'model-version' is required with 'model-name'/],
  ])('%o is refused with one line naming the input', (inputs, pattern) => {
    expect(problems(env({ 'artifact-version': 'v1', ...inputs }))).toEqual([expect.stringMatching(pattern)]);
  });

  it('keeps cache-control values whole (they contain commas) and splits exclude globs outside braces', () => {
    const i = parseInputs(
      env({
        'artifact-version': 'v1',
        'cache-control': '*.png=public, max-age=86400\n\n# note\n',
        exclude: './drafts/**',
      }),
    );
    expect(i.cacheControl).toEqual(['*.png=public, max-age=86400', '# note']);
    expect(i.exclude).toEqual(['drafts/**']);
    expect(splitGlobs('*.{png,jpg}, docs/**\n*.map,,\r\n{a,b}/{c,d}')).toEqual([
      '*.{png,jpg}',
      'docs/**',
      '*.map',
      '{a,b}/{c,d}',
    ]);
  });
});
