// See demo.sh. The seed pipeline end to end, on this machine, against real services:
//   MLflow (seeded) -> mlflow-metadata -> build-viewer -> s3-publish (MinIO) -> hiera-bump (git over HTTP)
// Each step runs an action's committed bundle with INPUT_* variables and GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files, as the runner would, and prints what it produced.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ensureMlflowVenv, seedMlflow, startMlflowServer } from './services/mlflow.mjs';
import { startGitServer } from './services/git-http.mjs';
import { startS3Server } from './services/s3/server.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'mlflow-actions-demo-'));
const caller = join(work, 'workspace'); // the workflow's checkout: where the actions run
mkdirSync(caller);
const say = (s) => console.log(`\n\x1b[1m== ${s}\x1b[0m`);
const done = [];
const stops = [];
process.on('exit', () => {
  for (const stop of stops) stop();
});

say('Starting a real MLflow tracking server (sqlite store) on 127.0.0.1');
const python = ensureMlflowVenv();
const server = await startMlflowServer({ python, dir: join(work, 'mlflow') });
stops.push(() => server.stop());
console.log(`MLflow ${server.url}  (log: ${server.logFile})`);

say("Seeding it with MLflow's own client: experiments, runs, 3 versions, aliases, stages");
const seed = await seedMlflow(python, server, join(work, 'seed.json'));
const model = seed.prod_model;
console.log(
  `model '${model.name}': versions ${Object.keys(model.versions).join(', ')}, aliases ${Object.entries(model.aliases)
    .map(([a, v]) => `${a}→${v}`)
    .join(', ')}, stages ${Object.entries(model.stages)
    .map(([s, v]) => `${s}→${v}`)
    .join(', ')}`,
);

/** Parses GITHUB_OUTPUT as the runner does (`name<<DELIM` heredocs and `name=value` lines). */
function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * Runs one action's bundle as the runner does. Asynchronous on purpose: the git server that
 * hiera-bump pushes to runs in this very process.
 */
async function runStep(action, inputs, extraEnv = {}, { quiet = false } = {}) {
  const output = join(work, `${action}.output`);
  const summary = join(work, `${action}.summary.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_WORKSPACE: caller,
    RUNNER_TEMP: work,
    ...extraEnv,
  };
  // As the runner does: action.yml's defaults for inputs not given (an expression default such
  // as `${{ github.token }}` has no runner to evaluate it here, so it is left out), then the
  // inputs, named INPUT_<NAME> (upper case, spaces to underscores, hyphens kept).
  const declared = parse(readFileSync(join(root, 'actions', action, 'action.yml'), 'utf8')).inputs ?? {};
  const name = (k) => `INPUT_${k.replace(/ /g, '_').toUpperCase()}`;
  for (const [k, spec] of Object.entries(declared))
    if (spec.default !== undefined && !String(spec.default).includes('${{')) env[name(k)] = String(spec.default);
  for (const [k, v] of Object.entries(inputs)) {
    if (!(k in declared)) throw new Error(`${action} has no input '${k}'`);
    env[name(k)] = v;
  }
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist', action, 'index.js')], {
    cwd: caller,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise((r) => child.on('close', r));
  const ms = Math.round(performance.now() - started);
  const outputs = parseOutputs(readFileSync(output, 'utf8'));
  if (quiet) return { status, stdout, outputs };
  process.stdout.write(
    stdout
      .split('\n')
      .filter((l) => !l.startsWith('::debug::') && !l.startsWith('::add-mask::'))
      .join('\n'),
  );
  if (status !== 0) {
    console.error(stderr);
    throw new Error(`${action} failed (exit ${status})`);
  }
  console.log(`\n-- ${action}: exit ${status} in ${ms} ms; outputs:`);
  for (const [k, v] of Object.entries(outputs)) console.log(`   ${k} = ${v.length > 200 ? `${v.slice(0, 200)}…` : v}`);
  console.log(`-- step summary (${summary}):\n${readFileSync(summary, 'utf8')}`);
  return { status, stdout, outputs };
}

say('mlflow-metadata: the version behind alias "champion", with its metric histories');
const meta = await runStep('mlflow-metadata', {
  'tracking-uri': server.url,
  'model-name': model.name,
  'model-alias': 'champion',
  'metric-history': 'all',
  'output-file': 'model_metadata.json',
});
const metadata = JSON.parse(readFileSync(meta.outputs['metadata-file'], 'utf8'));
console.log(
  `model_metadata.json: ${metadata.model_name} v${metadata.version}, stage ${metadata.stage}, ` +
    `${Object.keys(metadata.metrics).length} metrics, ` +
    `${Object.values(metadata.metric_history).reduce((n, h) => n + h.length, 0)} history points`,
);
done.push(
  `read ${metadata.model_name} version ${metadata.version} (alias champion) from MLflow into ${meta.outputs['metadata-file']}`,
);

say('mlflow-metadata with a mistyped model name: one clear line, nothing written');
const bad = await runStep(
  'mlflow-metadata',
  { 'tracking-uri': server.url, 'model-name': 'prod-recomendation-engine', 'model-version': '3' },
  {},
  { quiet: true },
);
console.log(
  bad.stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .join('\n'),
  `(exit ${bad.status})`,
);

say('mlflow-metadata: the version in Production, to compare the champion with');
const prev = await runStep(
  'mlflow-metadata',
  {
    'tracking-uri': server.url,
    'model-name': model.name,
    'model-stage': 'Production',
    'output-file': 'production_metadata.json',
  },
  {},
  { quiet: true },
);
if (prev.status !== 0) throw new Error(`mlflow-metadata (Production) failed:\n${prev.stdout}`);
console.log(`production_metadata.json: version ${prev.outputs['model-version']}`);

say('build-viewer: a static, script-safe page of the champion, each metric compared with Production');
const viewer = await runStep('build-viewer', {
  'metadata-file': meta.outputs['metadata-file'],
  'previous-metadata-file': prev.outputs['metadata-file'],
  'output-dir': 'model-viewer-dist',
});
const site = viewer.outputs['output-dir'];
done.push(
  `built the viewer (${viewer.outputs.files} files, ${viewer.outputs.bytes} bytes) in ${site}; open ${join(site, 'index.html')}`,
);

say('s3-publish: the site as an immutable version on a real S3-compatible server (MinIO)');
const s3 = await startS3Server({ dataDir: join(work, 's3') });
stops.push(() => void s3.stop());
// Credentials reach s3-publish as they would after aws-actions/configure-aws-credentials: in the environment.
const s3env = {
  AWS_ACCESS_KEY_ID: s3.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  AWS_REGION: s3.region,
  AWS_EC2_METADATA_DISABLED: 'true',
};
await createBucket(s3, 'model-artifacts');
const published = await runStep(
  's3-publish',
  {
    'source-dir': site,
    bucket: 'model-artifacts',
    'model-name': metadata.model_name,
    'model-version': metadata.version,
    endpoint: s3.endpoint,
    'force-path-style': 'true',
  },
  s3env,
);
const artifact = published.outputs['artifact-version'];
const versionObject = await getObject(s3, 'model-artifacts', `model-viewer/${artifact}/VERSION`);
if (versionObject.trim() !== artifact) throw new Error(`VERSION holds '${versionObject}', expected '${artifact}'`);
console.log(`VERSION object at ${published.outputs['s3-uri']}VERSION holds '${versionObject.trim()}'`);
done.push(
  `published it to ${published.outputs['s3-uri']} on MinIO at ${s3.endpoint} (${published.outputs['files-uploaded']} ` +
    'files, then manifest.json and VERSION)',
);

say("hiera-bump: point Puppet's Hiera data at that version, in a git repository served over smart HTTP");
const git = await startGitServer();
stops.push(() => git.close());
const repoUrl = await git.createRepo('puppet-control', {
  'data/common.yaml': [
    '---',
    '# Hiera common data for the model viewer hosts.',
    'classes:',
    '  - role::model_viewer',
    '',
    'model_viewer::artifact_version: "prod-recommendation-engine-1-1677510000" # This value gets updated by CI',
    'model_viewer::install_dir: /var/www/html/model-viewer',
    '',
  ].join('\n'),
});
console.log(`git server ${git.url} (token-checked, like GitHub); repository ${repoUrl}`);
const bump = await runStep('hiera-bump', {
  repository: repoUrl,
  token: git.token,
  branch: 'main',
  file: 'data/common.yaml',
  key: 'model_viewer::artifact_version',
  value: artifact,
});
console.log('-- the commit, as pushed (only the value changed; quotes and comment kept):');
console.log(await git.git('puppet-control', ['show', '--stat', '--patch', '--format=%h %an: %s', 'main']));
done.push(
  `pushed commit ${bump.outputs['commit-sha'].slice(0, 12)} setting model_viewer::artifact_version to ${artifact} (was ` +
    `${bump.outputs['previous-value']}) in ${repoUrl}`,
);

say('Done. What the pipeline did:');
for (const [i, line] of done.entries()) console.log(`${i + 1}. ${line}`);
console.log(`\nEverything is under ${work}; the caller's workspace is ${caller}:`);
for (const f of readdirSync(caller, { recursive: true }).sort()) console.log(`   ${f}`);
console.log(
  '\nIn a workflow the root action.yml chains the same four steps in one `uses:` (workflows-examples/deploy-model-viewer.yml).',
);
stops.length = 0;
await git.close();
server.stop();
await s3.stop();
process.exit(0);

/** A bucket for the demo, made with a signed PUT through the SDK the action itself uses. */
async function createBucket(s3, name) {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  client.destroy();
}

async function getObject(s3, bucket, key) {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    return await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body.transformToString();
  } finally {
    client.destroy();
  }
}
