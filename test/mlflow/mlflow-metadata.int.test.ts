import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { validateMetadata } from '../../packages/model-metadata/src/validate.js';
import type { ModelMetadata } from '../../packages/model-metadata/src/types.js';
import { repoRoot, runActionBundle, type ActionRun } from '../helpers/run-action.js';

const mlflow = inject('mlflow');
const { plain, auth } = mlflow;
const prod = plain.seed.prod_model;

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'mm-'));
}

/** Runs the bundle against the open server, in a fresh directory. */
async function run(inputs: Record<string, string>, env: Record<string, string | undefined> = {}, cwd = workdir()) {
  const r = await runActionBundle('mlflow-metadata', { 'tracking-uri': plain.url, ...inputs }, { env, cwd });
  return { ...r, cwd };
}

function metadataOf(r: ActionRun & { cwd: string }): ModelMetadata {
  expect(r.errors, r.stdout).toEqual([]);
  expect(r.code).toBe(0);
  const file = r.outputs['metadata-file']!;
  expect(file).toBe(join(r.cwd, 'model_metadata.json'));
  const doc = JSON.parse(readFileSync(file, 'utf8')) as ModelMetadata;
  expect(validateMetadata(doc)).toEqual([]);
  return doc;
}

/** A failed run: exactly one error line, matching `pattern`, exit 1, nothing written. */
function expectOneError(r: ActionRun & { cwd: string }, pattern: RegExp): string {
  expect(r.code).toBe(1);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatch(/^mlflow-metadata: /);
  expect(r.errors[0]).toMatch(pattern);
  expect(r.errors[0]).not.toContain('\n');
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(readdirSync(r.cwd)).toEqual([]);
  expect(r.outputs).toEqual({});
  return r.errors[0]!;
}

describe('mlflow-metadata: naming a version', () => {
  it('by number: the seeded version with its run, outputs and summary', async () => {
    const r = await run({ 'model-name': prod.name, 'model-version': '3' });
    const m = metadataOf(r);
    expect(m.model_name).toBe(prod.name);
    expect(m.version).toBe('3');
    expect(m.stage).toBe('Staging');
    expect(m.aliases).toEqual(['champion']);
    expect(m.run_id).toBe(prod.run_ids[2]);
    expect(m.description).toBe(prod.description_v3);
    expect(m.run?.git_commit).toBe(prod.git_commits[2]);
    expect(m.run?.experiment_name).toBe('recommendations');
    expect(m.registered_model.aliases).toEqual(prod.aliases);
    expect(m.model_version_tags).toEqual({ validated: 'true', ticket: 'ML-1234' });
    expect(Object.keys(m.tags).some((k) => k.startsWith('mlflow.'))).toBe(false);
    expect(m.metric_history).toEqual({});
    expect(m.links.model_version).toBe(`${plain.url}/#/models/${prod.name}/versions/3`);
    expect(m.links.run).toBe(`${plain.url}/#/experiments/${plain.seed.experiment_id}/runs/${prod.run_ids[2]}`);
    expect(r.outputs).toEqual({
      'metadata-file': join(r.cwd, 'model_metadata.json'),
      'model-version': '3',
      'run-id': prod.run_ids[2],
      'source-uri': m.source_artifact_uri,
      stage: 'Staging',
      aliases: '["champion"]',
    });
    expect(r.summary).toContain(`### MLflow model \`${prod.name}\` version 3`);
    expect(r.summary).toContain(`[3](${plain.url}/#/models/${prod.name}/versions/3)`);
    expect(r.summary).toContain('| accuracy |');
    expect(r.summary).toContain('`champion`');
  });

  it('by alias, resolving to the version the alias points at', async () => {
    const m = metadataOf(await run({ 'model-name': prod.name, 'model-alias': 'challenger' }));
    expect(m.version).toBe(prod.aliases.challenger);
    expect(m.aliases).toEqual(['challenger']);
    expect(m.stage).toBe('Production');
  });

  it('by legacy stage, case-insensitively', async () => {
    const r = await run({ 'model-name': prod.name, 'model-stage': 'production' });
    const m = metadataOf(r);
    expect(m.version).toBe(prod.stages.Production);
    expect(r.outputs['model-version']).toBe(prod.stages.Production);
  });

  it('a model whose name has spaces and non-ASCII letters, by alias', async () => {
    const u = plain.seed.unicode_model;
    const r = await run({ 'model-name': u.name, 'model-alias': u.alias });
    const m = metadataOf(r);
    expect(m.model_name).toBe(u.name);
    expect(m.version).toBe(u.version);
    expect(m.params.saison).toBe('été');
    expect(m.tags['région']).toBe('Île-de-France');
    expect(m.run?.experiment_name).toBe('prévisions été');
    expect(m.links.model_version).toBe(`${plain.url}/#/models/${encodeURIComponent(u.name)}/versions/${u.version}`);
    expect(r.summary).toContain(u.name);
  });

  it('keeps every field of the original Python script, with the same values', async () => {
    const dir = workdir();
    const out = join(dir, 'python.json');
    execFileSync(
      mlflow.python,
      [
        join(repoRoot, 'bench/mlflow-metadata/baseline.py'),
        '--model-name',
        prod.name,
        '--model-version',
        '2',
        '--output-file',
        out,
      ],
      { env: { ...process.env, MLFLOW_TRACKING_URI: plain.url }, stdio: 'ignore' },
    );
    const py = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    const m = metadataOf(await run({ 'model-name': prod.name, 'model-version': '2' })) as unknown as Record<
      string,
      unknown
    >;
    expect(Object.keys(py).length).toBeGreaterThanOrEqual(11);
    for (const key of Object.keys(py)) expect({ key, value: m[key] }).toEqual({ key, value: py[key] });
  });
});

describe('mlflow-metadata: metric histories', () => {
  it('all histories of 50 metrics x 1,000 steps, every point in order', async () => {
    const h = plain.seed.history_model;
    const r = await run({ 'model-name': h.name, 'model-version': h.version, 'metric-history': 'all' });
    const m = metadataOf(r);
    const keys = Object.keys(m.metric_history);
    expect(keys).toHaveLength(h.metrics);
    for (const k of keys) {
      const points = m.metric_history[k]!;
      expect(points).toHaveLength(h.steps);
      expect(points.map((p) => p.step)).toEqual(Array.from({ length: h.steps }, (_, i) => i));
      expect(points.at(-1)!.value).toBe(m.metrics[k]);
    }
    expect(r.summary).toContain('| History points |');
  });

  it('only the keys asked for; an unknown key lists the logged ones', async () => {
    const m = metadataOf(
      await run({ 'model-name': prod.name, 'model-version': '1', 'metric-history': 'loss,\naccuracy' }),
    );
    expect(Object.keys(m.metric_history).sort()).toEqual(['accuracy', 'loss']);
    expect(m.metric_history.loss).toHaveLength(200);
    const bad = await run({ 'model-name': prod.name, 'model-version': '1', 'metric-history': 'loss,f1' });
    expectOneError(
      bad,
      /metric-history asks for 'f1', not logged in run .*it logged: accuracy, loss, recall_at_10, val_loss/,
    );
  });
});

describe('mlflow-metadata: authentication', () => {
  const base = () => ({ 'tracking-uri': auth.url, 'model-name': auth.seed.prod_model.name, 'model-version': '3' });
  const runAuth = async (inputs: Record<string, string>, env: Record<string, string> = {}) => {
    const cwd = workdir();
    return { ...(await runActionBundle('mlflow-metadata', { ...base(), ...inputs }, { env, cwd })), cwd };
  };

  it('basic auth from MLFLOW_TRACKING_USERNAME/PASSWORD, password masked and never printed', async () => {
    const r = await runAuth(
      {},
      { MLFLOW_TRACKING_USERNAME: auth.admin.username, MLFLOW_TRACKING_PASSWORD: auth.admin.password },
    );
    expect(metadataOf(r).version).toBe('3');
    expect(r.masked).toContain(auth.admin.password);
    expect(r.stdout.replace(`::add-mask::${auth.admin.password}`, '')).not.toContain(auth.admin.password);
    expect(readFileSync(r.outputs['metadata-file']!, 'utf8')).not.toContain(auth.admin.password);
  });

  it('bearer token from the token input', async () => {
    const r = await runAuth({ token: auth.bearerToken });
    expect(metadataOf(r).version).toBe('3');
    expect(r.masked).toContain(auth.bearerToken);
  });

  it('basic wins over bearer, as in MLflow', async () => {
    const good = await runAuth({ username: auth.admin.username, password: auth.admin.password, token: 'wrong-token' });
    expect(metadataOf(good).version).toBe('3');
    const bad = await runAuth({ username: auth.admin.username, password: 'wrong-password', token: auth.bearerToken });
    const msg = expectOneError(bad, /answered 401 Unauthenticated: the username and password were rejected/);
    expect(msg).not.toContain('wrong-password');
  });

  it('credentials in the URI count as basic auth and are stripped from links', async () => {
    const u = new URL(auth.url);
    u.username = auth.admin.username;
    u.password = auth.admin.password;
    const r = await runAuth({ 'tracking-uri': u.href });
    const m = metadataOf(r);
    expect(m.tracking_uri).toBe(auth.url);
    expect(JSON.stringify(m)).not.toContain(auth.admin.password);
    expect(r.masked).toContain(auth.admin.password);
  });

  it('no credentials: 401 said as such, with what to set', async () => {
    expectOneError(await runAuth({}), /401 Unauthenticated: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD/);
  });

  it('a user without permission on the model: 403 said as such', async () => {
    const outsider = auth.seed.users.outsider!;
    const r = await runAuth({ username: 'outsider', password: outsider.password });
    const msg = expectOneError(r, /403 Permission denied: user 'outsider' may not read/);
    expect(msg).not.toContain(outsider.password);
  });
});

describe('mlflow-metadata: bad input gets one clear line and writes nothing', () => {
  it.each([
    [{ 'model-version': '3' }, /input 'model-name' is required/],
    [{ 'model-name': 'm' }, /one of 'model-version', 'model-alias' or 'model-stage' is required/],
    [
      { 'model-name': 'm', 'model-version': '3', 'model-alias': 'champion' },
      /inputs 'model-version' and 'model-alias' conflict/,
    ],
    [
      { 'model-name': 'm', 'model-version': 'abc' },
      /input 'model-version' must be a positive integer such as 3, got 'abc'/,
    ],
    [{ 'model-name': 'm', 'model-version': '0' }, /input 'model-version' must be a positive integer/],
    [{ 'model-name': 'm', 'model-version': '-2' }, /input 'model-version' must be a positive integer/],
    [{ 'model-name': 'm', 'model-version': '1.5' }, /input 'model-version' must be a positive integer/],
    [{ 'model-name': 'm', 'model-alias': 'bad alias!' }, /input 'model-alias' may hold only/],
    [
      { 'model-name': 'm', 'model-stage': 'Prod' },
      /input 'model-stage' must be one of None, Staging, Production, Archived, got 'Prod'/,
    ],
    [{ 'model-name': 'm', 'model-version': '1', 'max-retries': 'many' }, /input 'max-retries' must be a whole number/],
    [
      { 'model-name': 'm', 'model-version': '1', 'tracking-uri': 'file:///tmp/mlruns' },
      /input 'tracking-uri' must be the http\(s\) URL/,
    ],
  ])('%o', async (inputs, pattern) => {
    expectOneError(await run(inputs), pattern);
  });

  it('reports every input problem at once, before any network call', async () => {
    const r = await run({ 'tracking-uri': '', 'model-version': 'x' }, { MLFLOW_TRACKING_URI: undefined });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(/input 'tracking-uri' is required/),
      expect.stringMatching(/input 'model-name' is required/),
      expect.stringMatching(/input 'model-version' must be a positive integer/),
    ]);
  });

  it('takes tracking-uri from MLFLOW_TRACKING_URI when the input is empty', async () => {
    const m = metadataOf(
      await run(
        { 'tracking-uri': '', 'model-name': prod.name, 'model-version': '1' },
        { MLFLOW_TRACKING_URI: plain.url },
      ),
    );
    expect(m.version).toBe('1');
  });

  it('an unknown model names the closest existing ones', async () => {
    const msg = expectOneError(
      await run({ 'model-name': 'prod-recomendation-engine', 'model-version': '1' }),
      /model 'prod-recomendation-engine' not found/,
    );
    expect(msg).toMatch(/closest existing names: 'prod-recommendation-engine'/);
  });

  it('an unknown version lists the existing ones', async () => {
    expectOneError(
      await run({ 'model-name': prod.name, 'model-version': '42' }),
      /has no version 42; existing versions: 3, 2, 1/,
    );
    expectOneError(
      await run({ 'model-name': plain.seed.empty_model.name, 'model-version': '1' }),
      /has no version 1; the model has no versions yet/,
    );
  });

  it('an unknown alias lists the existing ones', async () => {
    expectOneError(
      await run({ 'model-name': prod.name, 'model-alias': 'production' }),
      /has no alias 'production'; its aliases: 'challenger' \(version 2\), 'champion' \(version 3\), 'previous-production' \(version 1\)/,
    );
  });

  it('a stage with no version lists the stages in use', async () => {
    expectOneError(
      await run({ 'model-name': plain.seed.unicode_model.name, 'model-stage': 'Production' }),
      /has no version in stage 'Production'; no version is in any stage/,
    );
  });

  it('an output path that cannot be written', async () => {
    expectOneError(
      await run({ 'model-name': prod.name, 'model-version': '1', 'output-file': 'no/such/dir/m.json' }),
      /input 'output-file' cannot be written: directory .* does not exist/,
    );
    const cwd = workdir();
    mkdirSync(join(cwd, 'out.json'));
    const r = await run({ 'model-name': prod.name, 'model-version': '1', 'output-file': 'out.json' }, {}, cwd);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(/input 'output-file' is a directory/)]);
  });

  it('an existing output file is replaced whole, never truncated by a failure', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'model_metadata.json'), '{"previous": true}');
    const r = await run({ 'model-name': prod.name, 'model-version': '999' }, {}, cwd);
    expect(r.code).toBe(1);
    expect(readFileSync(join(cwd, 'model_metadata.json'), 'utf8')).toBe('{"previous": true}');
    expect(readdirSync(cwd)).toEqual(['model_metadata.json']);
  });

  it('an unreachable URL, after the retries it was given', async () => {
    const r = await run(
      { 'tracking-uri': 'http://127.0.0.1:9', 'model-name': prod.name, 'model-version': '1', 'max-retries': '2' },
      { MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.01', MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0' },
    );
    expectOneError(
      r,
      /cannot reach MLflow at http:\/\/127\.0\.0\.1:9: connection refused \(gave up after 3 attempts\)/,
    );
  });
});
