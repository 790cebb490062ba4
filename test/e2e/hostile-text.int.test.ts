// Acceptance 2 and 3 of issue 11, through every bundle in dist/: text from outside (a Hiera file,
// Kubernetes manifests, a model's description and tags in MLflow, and what is built from them)
// carries workflow commands. Each bundle runs on it as the runner runs it, in dry-run and in normal
// mode where it has both, against the real MLflow server (with auth), MinIO and a git server. Read
// as the runner reads stdout, none of those lines is a command, and every credential is masked
// before any other line.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { injectedCommands } from '../helpers/injected.js';
import { maskProblems } from '../helpers/mask-order.js';
import { testClient } from '../helpers/mlflow-models.js';
import { repoRoot, runActionBundle, type ActionRun } from '../helpers/run-action.js';
import { sandbox, type S3Sandbox } from '../s3/helpers.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';

const { auth } = inject('mlflow');
const s3 = inject('s3');
const MARK = 'INJECTED';
// Each line a command the runner would obey if it were printed raw (leading spaces are trimmed).
const HOSTILE = [
  `::warning::${MARK} warning`,
  `  ::add-mask::${MARK}`,
  `::set-output name=pwned::${MARK} output`,
  `##[error]${MARK} error`,
  `::stop-commands::${MARK}stop`,
  `::error::${MARK} after stop`,
  `::${MARK}stop::`,
];
const block = (indent: string) => HOSTILE.map((l) => `${indent}${l}`).join('\n');

const OLD = 'viewer-1-1700000000';
const HIERA = `---
model_viewer::motd: |
${block('  ')}
model_viewer::artifact_version: "${OLD}" # updated by CI
model_viewer::banner: |
${block('  ')}
`;
const IMAGE = 'ghcr.io/acme/model-server';
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-server
spec:
  template:
    spec:
      containers:
        - name: server
          command:
            - |
${block('              ')}
          image: ${IMAGE}:2024.11.0
          args:
            - |
${block('              ')}
`;

let git: GitServer;
let box: S3Sandbox;
const dirs: string[] = [];
const model = { name: `hostile-${Date.now().toString(36)}`, versions: [] as string[] };
const mlflowEnv = { MLFLOW_TRACKING_USERNAME: auth.admin.username, MLFLOW_TRACKING_PASSWORD: auth.admin.password };
const awsEnv = {
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_REGION: s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
};

beforeAll(async () => {
  [git, box] = await Promise.all([startGitServer(), sandbox('hostile')]);
  // A registered model whose description, version description and tags carry the commands.
  const client = testClient(auth.url, auth.admin);
  try {
    await client.post('registered-models/create', { name: model.name, description: HOSTILE.join('\n') });
    const run = await client.getRun(auth.seed.prod_model.run_ids[0]!);
    for (let i = 0; i < 2; i++) {
      const res = await client.post<{ model_version?: { version?: string } }>('model-versions/create', {
        name: model.name,
        source: `${run.info?.artifact_uri ?? ''}/model`,
        run_id: run.info?.run_id,
        description: HOSTILE.join('\n'),
      });
      model.versions.push(String(res.model_version?.version));
    }
    for (const v of model.versions)
      await client.post('model-versions/set-tag', { name: model.name, version: v, key: 'note', value: HOSTILE[0] });
    await client.post('registered-models/alias', { name: model.name, alias: 'production', version: '2' });
    await client.post('registered-models/alias', { name: model.name, alias: 'previous-production', version: '1' });
  } finally {
    client.close();
  }
});
afterAll(async () => {
  await Promise.all([git?.close(), box?.cleanup()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
  dirs.push(dir);
  return dir;
}

/** The two promises of the issue, for one step. */
function expectSafe(r: ActionRun, credentials: string[]): void {
  expect(r.code, r.stdout).toBe(0);
  expect(injectedCommands(r.stdout, MARK), r.stdout).toEqual([]);
  expect(Object.keys(r.outputs)).not.toContain('pwned');
  expect(maskProblems(r, credentials), r.stdout).toEqual([]);
}

const covered = new Set<string>();
const modes = [
  ['dry-run', 'true'],
  ['normal', 'false'],
] as const;

describe('text from outside never commands the runner, and credentials are masked first', () => {
  let metadataFile = '';
  let siteDir = '';

  it('mlflow-metadata reads a model whose description and tags carry commands', async () => {
    covered.add('mlflow-metadata');
    const cwd = workspace();
    const r = await runActionBundle(
      'mlflow-metadata',
      { 'tracking-uri': auth.url, 'model-name': model.name, 'model-version': '2', 'metric-history': 'all' },
      { cwd, env: mlflowEnv },
    );
    expectSafe(r, [auth.admin.password]);
    metadataFile = r.outputs['metadata-file']!;
    expect(readFileSync(metadataFile, 'utf8')).toContain(`${MARK} warning`);
  });

  it('build-viewer builds the viewer from that metadata', async () => {
    covered.add('build-viewer');
    const cwd = workspace();
    const r = await runActionBundle('build-viewer', { 'metadata-file': metadataFile, 'output-dir': 'site' }, { cwd });
    expectSafe(r, []);
    siteDir = r.outputs['output-dir']!;
    expect(readdirSync(siteDir)).toContain('index.html');
  });

  it.each(modes)('s3-publish publishes that viewer (%s)', async (mode, dryRun) => {
    covered.add('s3-publish');
    const inputs: Record<string, string> = {
      'source-dir': siteDir,
      bucket: box.bucket,
      prefix: box.prefix,
      'artifact-version': `hostile-${mode}`,
      'dry-run': dryRun,
    };
    if (s3.endpoint) inputs.endpoint = s3.endpoint;
    const r = await runActionBundle('s3-publish', inputs, { cwd: workspace(), env: awsEnv });
    expectSafe(r, [s3.secretAccessKey]);
  });

  it.each(modes)('hiera-bump edits a Hiera file that carries commands (%s)', async (mode, dryRun) => {
    covered.add('hiera-bump');
    const name = `hiera-${mode}`;
    await git.createRepo(name, { 'data/common.yaml': HIERA });
    const r = await runActionBundle(
      'hiera-bump',
      {
        repository: git.repoUrl(name),
        token: git.token,
        key: 'model_viewer::artifact_version',
        value: 'viewer-2-1700000001',
        'dry-run': dryRun,
      },
      { cwd: workspace() },
    );
    expectSafe(r, [git.token]);
    // The diff was printed (the hostile lines are its context), yet none of it commanded the runner.
    if (dryRun === 'true') expect(r.stdout).toContain(`${MARK} warning`);
    expect(r.outputs.changed).toBe('true');
  });

  it.each(modes)('gitops-image-bump edits manifests that carry commands (%s)', async (mode, dryRun) => {
    covered.add('gitops-image-bump');
    const name = `gitops-${mode}`;
    await git.createRepo(name, { 'apps/model-server.yaml': MANIFEST });
    const r = await runActionBundle(
      'gitops-image-bump',
      {
        repository: git.repoUrl(name),
        token: git.token,
        files: 'apps/*.yaml',
        image: IMAGE,
        tag: '2024.12.1',
        'dry-run': dryRun,
      },
      { cwd: workspace() },
    );
    expectSafe(r, [git.token]);
    if (dryRun === 'true') expect(r.stdout).toContain(`${MARK} warning`);
    expect(r.outputs.changed).toBe('true');
  });

  it.each(modes)('mlflow-alias moves an alias of that model (%s)', async (_, dryRun) => {
    covered.add('mlflow-alias');
    const r = await runActionBundle(
      'mlflow-alias',
      { 'tracking-uri': auth.url, 'model-name': model.name, alias: 'staging', 'model-version': '2', 'dry-run': dryRun },
      { cwd: workspace(), env: mlflowEnv },
    );
    expectSafe(r, [auth.admin.password]);
  });

  it.each(modes)('blue-green-promote rolls the registry back on that model (%s)', async (_, dryRun) => {
    covered.add('blue-green-promote');
    const r = await runActionBundle(
      'blue-green-promote',
      {
        action: 'rollback-registry',
        rollout: 'model-server',
        'tracking-uri': auth.url,
        'model-name': model.name,
        'promote-alias': 'production',
        'previous-alias': 'previous-production',
        'dry-run': dryRun,
      },
      { cwd: workspace(), env: mlflowEnv },
    );
    expectSafe(r, [auth.admin.password]);
  });

  it('ephemeral-test runs a service whose log, body and version carry commands, quoted by its test-command too', async () => {
    covered.add('ephemeral-test');
    const dir = workspace();
    // The service prints the commands to its log and reports them as its version: the check fails,
    // so the step quotes the version in its error and prints the log's last lines.
    writeFileSync(
      join(dir, 'server.mjs'),
      `import { createServer } from 'node:http';
const hostile = ${JSON.stringify(HOSTILE.join('\n'))};
console.log(hostile);
createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(req.url === '/version' ? { version: hostile } : { status: 'ok', note: hostile }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`,
    );
    // The user's own tests print what the service answered, as a failing test would.
    writeFileSync(
      join(dir, 'quote.mjs'),
      `console.log((await (await fetch(process.env.BASE_URL + '/version')).json()).version);\n`,
    );
    const token = 'hostile-admin-token-value';
    const r = await runActionBundle(
      'ephemeral-test',
      {
        command: `${JSON.stringify(process.execPath)} server.mjs`,
        'test-command': `${JSON.stringify(process.execPath)} quote.mjs`,
        'expected-version': '9',
        checks: '- path: /health\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }\n  expect-json: { status: ok }',
      },
      { cwd: dir, env: { ADMIN_TOKEN: token, GITHUB_WORKSPACE: dir }, removeTemp: true },
    );
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`${MARK} warning`);
    // The step's own error annotations may quote the version (escaped by the runner protocol);
    // nothing else that carries the mark may be a command.
    const injected = injectedCommands(r.stdout, MARK).filter((c) => !c.startsWith('error: ephemeral-test: '));
    expect(injected, r.stdout).toEqual([]);
    expect(Object.keys(r.outputs)).not.toContain('pwned');
    expect(maskProblems(r, [token]), r.stdout).toEqual([]);
  });

  it('covered every bundle in dist/', () => {
    expect([...covered].sort()).toEqual(readdirSync(join(repoRoot, 'dist')).sort());
  });
});
