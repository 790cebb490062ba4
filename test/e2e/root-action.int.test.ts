// End to end: the root composite action (action.yml) run as the runner runs it for a caller in
// another repository, against the real seeded MLflow server, the real S3 server (MinIO) and a real
// smart-HTTP git server: mlflow-metadata -> build-viewer -> s3-publish -> hiera-bump.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../helpers/run-action.js';
import { listKeys, sandbox, type S3Sandbox } from '../s3/helpers.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';
import {
  evaluateCondition,
  interpolate,
  readComposite,
  runComposite,
  type CompositeRun,
  type ExpressionContext,
} from './composite.js';

const { plain } = inject('mlflow');
const s3 = inject('s3');
const prod = plain.seed.prod_model;
const KEY = 'model_viewer::artifact_version';
const OLD = 'prod-recommendation-engine-1-1677510000';

// Hiera data as a person wrote it: comments, quoting, an anchor, an eyaml value.
const HIERA = `---
# Hiera common data for the model viewer hosts.
classes:
  - role::model_viewer

defaults: &defaults
  ensure: present

${KEY}: "${OLD}" # This value gets updated by CI
model_viewer::install_dir: /var/www/html/model-viewer
model_viewer::settings:
  <<: *defaults
  port: 8080
secrets::api_key: ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAxggEhMIIBHQIBADAFMAACAQEwDQYJ]
`;

let git: GitServer;
let box: S3Sandbox;
const dirs: string[] = [];
beforeAll(async () => {
  [git, box] = await Promise.all([startGitServer(), sandbox('root-action')]);
});
afterAll(async () => {
  await Promise.all([git?.close(), box?.cleanup()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let repos = 0;
async function hieraRepo(): Promise<string> {
  const name = `puppet-data-${++repos}`;
  await git.createRepo(name, { 'data/common.yaml': HIERA, 'README.md': 'Puppet control data\n' });
  return name;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'caller-'));
  dirs.push(dir);
  return dir;
}

// Credentials as aws-actions/configure-aws-credentials leaves them: in the job's environment.
const jobEnv = () => ({
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_REGION: s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
});

async function deploy(inputs: Record<string, string>, cwd = workspace()): Promise<CompositeRun & { cwd: string }> {
  const base: Record<string, string> = { 'tracking-uri': plain.url, bucket: box.bucket, prefix: box.prefix };
  if (s3.endpoint) base.endpoint = s3.endpoint;
  const run = await runComposite(
    repoRoot,
    { ...base, ...inputs },
    { cwd, env: jobEnv(), githubToken: 'ghs_the_callers_github_token' },
  );
  // Whatever happened, no secret reaches the log except on the line that masks it.
  const logged = run.log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [git.token, s3.secretAccessKey]) expect(logged).not.toContain(secret);
  return { ...run, cwd };
}

const stepIds = (r: CompositeRun) => r.steps.map((s) => `${s.id}:${s.ran ? s.code : 'skipped'}`);
const errorsOf = (r: CompositeRun) => r.log.split('\n').filter((l) => l.startsWith('::error::'));
const versionPrefix = (version: string) => `${box.prefix}/${version}/`;
const read = async (key: string) =>
  (await box.client.send(new GetObjectCommand({ Bucket: box.bucket, Key: key }))).Body!.transformToString();

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** The lines a commit changed (`-old`, `+new`), without diff headers. */
async function changedLines(repo: string, rev: string): Promise<string[]> {
  const d = await git.git(repo, ['show', '--format=', '-U0', rev]);
  return d.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
}

describe('root action.yml: MLflow -> viewer -> S3 -> Hiera, from a caller workspace', () => {
  it('deploys the champion: site published as one immutable version, Hiera points at it, outputs chained', async () => {
    const repo = await hieraRepo();
    const before = Math.floor(Date.now() / 1000);
    const r = await deploy({
      'model-name': prod.name,
      'model-alias': 'champion',
      title: 'Recommendations',
      'hiera-repository': git.repoUrl(repo),
      'hiera-token': git.token,
    });
    expect(errorsOf(r), r.log).toEqual([]);
    expect(r.code).toBe(0);
    expect(stepIds(r)).toEqual(['check:0', 'metadata:0', 'viewer:0', 'publish:0', 'hiera:0']);

    // Outputs of every stage, chained: the alias resolved to a version, which named the artifact.
    const version = prod.aliases.champion!;
    const artifact = r.outputs['artifact-version']!;
    const [, seconds] = new RegExp(`^prod-recommendation-engine-${version}-(\\d{10})$`).exec(artifact) ?? [];
    expect(Number(seconds), artifact).toBeGreaterThanOrEqual(before);
    const [head] = await git.log(repo, 'main');
    expect(r.outputs).toEqual({
      'metadata-file': join(r.cwd, 'model_metadata.json'),
      'model-version': version,
      'run-id': expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      aliases: JSON.stringify(['champion']),
      'site-dir': join(r.cwd, 'model-viewer-dist'),
      'artifact-version': artifact,
      's3-uri': `s3://${box.bucket}/${box.prefix}/${artifact}/`,
      'hiera-changed': 'true',
      'hiera-commit-sha': head!.sha,
      'hiera-pull-request-url': '',
      'hiera-previous-value': OLD,
    });
    // Each step got its inputs from the one before it, not from the caller.
    const env = Object.fromEntries(r.steps.map((s) => [s.id, s.env]));
    expect(env.viewer!['INPUT_METADATA-FILE']).toBe(r.outputs['metadata-file']);
    expect(env.publish!['INPUT_SOURCE-DIR']).toBe(r.outputs['site-dir']);
    expect(env.publish!['INPUT_MODEL-VERSION']).toBe(version);
    expect(env.hiera!.INPUT_VALUE).toBe(artifact);
    expect(env.hiera!.INPUT_TOKEN).toBe(git.token); // the given token wins over github.token

    // The site is in S3 exactly as built, plus the VERSION marker and manifest written last.
    const site = filesUnder(r.outputs['site-dir']!);
    expect(site).toContain('index.html');
    expect(site).toContain('model_metadata.json');
    const keys = (await listKeys(box.client, box.bucket, versionPrefix(artifact))).map((k) =>
      k.slice(versionPrefix(artifact).length),
    );
    expect(keys).toEqual([...site, 'VERSION', 'manifest.json'].sort());
    expect((await read(`${versionPrefix(artifact)}VERSION`)).trim()).toBe(artifact);
    expect(await read(`${versionPrefix(artifact)}index.html`)).toBe(
      readFileSync(join(r.outputs['site-dir']!, 'index.html'), 'utf8'),
    );
    const published = JSON.parse(await read(`${versionPrefix(artifact)}model_metadata.json`)) as unknown;
    expect(published).toMatchObject({ model_name: prod.name, version, aliases: ['champion'] });
    const manifest = JSON.parse(await read(`${versionPrefix(artifact)}manifest.json`)) as unknown;
    expect(JSON.stringify(manifest)).toContain('index.html');

    // Hiera: one new commit whose diff is exactly the one value, quotes and comment kept.
    const log = await git.log(repo, 'main');
    expect(log).toHaveLength(2);
    expect(head!.subject).toBe(`Set ${KEY} to ${artifact}`);
    expect(await changedLines(repo, 'main')).toEqual([
      `-${KEY}: "${OLD}" # This value gets updated by CI`,
      `+${KEY}: "${artifact}" # This value gets updated by CI`,
    ]);
    expect(await git.readFile(repo, 'main', 'data/common.yaml')).toBe(HIERA.replace(OLD, artifact));

    // Every stage wrote its step summary; the token was masked before anything else was logged.
    for (const s of r.steps.filter((s) => s.id !== 'check')) expect(s.summary, s.id).not.toBe('');
    const hieraOut = r.steps.find((s) => s.id === 'hiera')!.stdout;
    expect(hieraOut.split('\n').find((l) => l.includes(git.token))).toBe(`::add-mask::${git.token}`);
  });

  it('without hiera-repository the Hiera step is skipped: the site is still published, hiera outputs are empty', async () => {
    const u = plain.seed.unicode_model;
    const pushesBefore = git.receivePackRequests();
    const r = await deploy({ 'model-name': u.name, 'model-version': u.version, 'metric-history': 'none' });
    expect(errorsOf(r), r.log).toEqual([]);
    expect(r.code).toBe(0);
    expect(stepIds(r)).toEqual(['check:0', 'metadata:0', 'viewer:0', 'publish:0', 'hiera:skipped']);
    // A name with spaces and accents still makes a key- and YAML-safe artifact version.
    const artifact = r.outputs['artifact-version']!;
    expect(artifact).toMatch(new RegExp(`^Mod-le-de-pr-vision-ventes-t-${u.version}-\\d{10}$`));
    expect(r.outputs).toMatchObject({
      'model-version': u.version,
      'hiera-changed': '',
      'hiera-commit-sha': '',
      'hiera-previous-value': '',
    });
    expect((await read(`${versionPrefix(artifact)}VERSION`)).trim()).toBe(artifact);
    expect(filesUnder(r.outputs['site-dir']!)).toContain('index.html');
    expect(git.receivePackRequests()).toBe(pushesBefore);
  });

  it('dry-run: reads MLflow and builds the site, but writes nothing to S3 or git and reports what would change', async () => {
    const repo = await hieraRepo();
    const pushesBefore = git.receivePackRequests();
    const r = await deploy({
      'model-name': prod.name,
      'model-stage': 'Production',
      'artifact-version': 'dry-run-check-1',
      'hiera-repository': git.repoUrl(repo),
      'hiera-token': git.token,
      'dry-run': 'true',
    });
    expect(errorsOf(r), r.log).toEqual([]);
    expect(stepIds(r)).toEqual(['check:0', 'metadata:0', 'viewer:0', 'publish:0', 'hiera:0']);
    expect(r.outputs).toMatchObject({
      'model-version': prod.stages.Production,
      'artifact-version': 'dry-run-check-1',
      'hiera-changed': 'true',
      'hiera-commit-sha': '',
      'hiera-previous-value': OLD,
    });
    expect(await listKeys(box.client, box.bucket, versionPrefix('dry-run-check-1'))).toEqual([]);
    expect(r.log).toContain(`+${KEY}: "dry-run-check-1" # This value gets updated by CI`);
    expect(await git.log(repo, 'main')).toHaveLength(1);
    expect(git.receivePackRequests()).toBe(pushesBefore);
  });

  it('an artifact version that already exists stops the chain at s3-publish: nothing overwritten, Hiera untouched', async () => {
    const first = await deploy({
      'model-name': prod.name,
      'model-version': '1',
      'artifact-version': 'fixed-release-1',
    });
    expect(first.code, first.log).toBe(0);
    const versionBody = await read(`${versionPrefix('fixed-release-1')}VERSION`);

    const repo = await hieraRepo();
    const r = await deploy({
      'model-name': prod.name,
      'model-version': '2',
      'artifact-version': 'fixed-release-1',
      'hiera-repository': git.repoUrl(repo),
      'hiera-token': git.token,
    });
    expect(r.code).toBe(1);
    // The runner never reaches the Hiera step: its implicit success() is false.
    expect(stepIds(r)).toEqual(['check:0', 'metadata:0', 'viewer:0', 'publish:1']);
    expect(errorsOf(r)).toHaveLength(1);
    expect(errorsOf(r)[0]).toMatch(/^::error::s3-publish: .*fixed-release-1.*already exists/);
    expect(await read(`${versionPrefix('fixed-release-1')}VERSION`)).toBe(versionBody);
    const published = JSON.parse(await read(`${versionPrefix('fixed-release-1')}model_metadata.json`)) as {
      version: string;
    };
    expect(published.version).toBe('1');
    expect(await git.log(repo, 'main')).toHaveLength(1);
    expect(r.outputs['hiera-commit-sha']).toBe('');
  });
});

describe('root action.yml: the first step checks the Node and every input before any work', () => {
  it('a Hiera typo and an S3 one fail in the check step, both reported: MLflow not read, nothing published, Hiera untouched', async () => {
    const repo = await hieraRepo();
    const pushesBefore = git.receivePackRequests();
    const cwd = workspace();
    const r = await deploy(
      {
        'model-name': prod.name,
        'model-version': '1',
        'artifact-version': 'typo-check-1',
        overwrite: 'yes',
        'hiera-repository': git.repoUrl(repo),
        'hiera-token': git.token,
        'hiera-mode': 'pusj',
      },
      cwd,
    );
    expect(r.code).toBe(1);
    expect(stepIds(r)).toEqual(['check:1']);
    const errors = errorsOf(r);
    expect(errors, r.log).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error::s3-publish: .*overwrite/);
    expect(errors[1]).toMatch(/^::error::hiera-bump: .*mode.*pusj/);
    // Nothing was read or written: no metadata file, no site, no S3 version, no push.
    expect(readdirSync(cwd)).toEqual([]);
    expect(await listKeys(box.client, box.bucket, versionPrefix('typo-check-1'))).toEqual([]);
    expect(await git.log(repo, 'main')).toHaveLength(1);
    expect(git.receivePackRequests()).toBe(pushesBefore);
    // The token was masked by the check before it could be printed.
    const checkOut = r.steps[0]!.stdout.split('\n');
    expect(checkOut.find((l) => l.includes(git.token))).toBe(`::add-mask::${git.token}`);
  });

  it('without hiera-repository the Hiera inputs are not checked (the step would be skipped)', async () => {
    const r = await deploy({ 'model-name': prod.name, 'model-version': '1', 'hiera-mode': 'pusj' });
    expect(errorsOf(r), r.log).toEqual([]);
    expect(stepIds(r)).toEqual(['check:0', 'metadata:0', 'viewer:0', 'publish:0', 'hiera:skipped']);
  });

  it('an older node on PATH fails with one line saying what to do, before any bundle runs', async () => {
    // The machine's own Node (Debian's) is older than 24: the runner images' default can be too.
    const old = execFileSync('/usr/bin/node', ['--version'], { encoding: 'utf8' }).trim();
    expect(
      Number(/^v(\d+)\./.exec(old)?.[1]),
      `this test needs /usr/bin/node older than 24, found ${old}`,
    ).toBeLessThan(24);
    const cwd = workspace();
    const r = await runComposite(
      repoRoot,
      { 'model-name': prod.name, 'model-version': '1', bucket: box.bucket, 'tracking-uri': plain.url },
      { cwd, env: { ...jobEnv(), PATH: `/usr/bin:${process.env.PATH ?? ''}` } },
    );
    expect(r.code).toBe(1);
    expect(stepIds(r)).toEqual(['check:1']);
    expect(r.log.trim().split('\n')).toEqual([
      `::error::mlflow-deploy-actions: this action runs its steps on the node on PATH, which is ${old}; ` +
        'it needs Node 24 or newer: add actions/setup-node with node-version: 24 before it',
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('the composite harness evaluates only the expression forms action.yml uses', () => {
  const ctx: ExpressionContext = { inputs: { a: 'x', empty: '' }, steps: { s: { o: 'v' } }, github: { token: 't' } };

  it('evaluates the known forms', () => {
    expect(interpolate('${{ inputs.a }}/${{steps.s.outputs.o}}/${{ github.token }}', ctx)).toBe('x/v/t');
    expect(interpolate('${{ steps.s.outputs.missing }}', ctx)).toBe('');
    expect(evaluateCondition("inputs.a != ''", ctx)).toBe(true);
    expect(evaluateCondition("${{ inputs.empty != '' }}", ctx)).toBe(false);
    expect(evaluateCondition("inputs.empty == ''", ctx)).toBe(true);
  });

  it('refuses every other form, so it cannot silently diverge from the runner', () => {
    for (const cond of [
      'always()',
      "inputs.a != '' && inputs.empty == ''",
      "inputs.a != 'x'",
      'inputs.a',
      "github.event_name != ''",
      "inputs.nope != ''",
    ]) {
      expect(() => evaluateCondition(cond, ctx), cond).toThrow(/composite harness/);
    }
    for (const value of [
      "${{ format('{0}', inputs.a) }}",
      '${{ env.HOME }}',
      '${{ steps.later.outputs.o }}',
      "${{ inputs.a || 'd' }}",
    ]) {
      expect(() => interpolate(value, ctx), value).toThrow(/composite harness/);
    }
  });

  it('accepts the root action.yml as written (every step key and condition is modelled)', () => {
    const action = readComposite(join(repoRoot, 'action.yml'));
    const inputs = Object.fromEntries(Object.keys(action.inputs).map((k) => [k, '']));
    for (const step of action.runs.steps)
      if (step.if !== undefined) expect(evaluateCondition(step.if, { ...ctx, inputs })).toBe(false);
  });
});
