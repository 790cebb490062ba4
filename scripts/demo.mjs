// See demo.sh. Each step runs an action's committed bundle with INPUT_* variables and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, as the runner would, and prints what it produced.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureMlflowVenv, seedMlflow, startMlflowServer } from './services/mlflow.mjs';
import { startS3Server } from './services/s3/server.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'mlflow-actions-demo-'));
const say = (s) => console.log(`\n\x1b[1m== ${s}\x1b[0m`);

say('Starting a real MLflow tracking server (sqlite store) on 127.0.0.1');
const python = ensureMlflowVenv();
const server = await startMlflowServer({ python, dir: join(work, 'mlflow') });
process.on('exit', () => server.stop());
console.log(`MLflow ${server.url}  (log: ${server.logFile})`);

say('Seeding it with MLflow\'s own client: experiments, runs, 3 versions, aliases, stages');
const seed = await seedMlflow(python, server, join(work, 'seed.json'));
console.log(`model '${seed.prod_model.name}': versions ${Object.keys(seed.prod_model.versions).join(', ')}, aliases ${Object.entries(seed.prod_model.aliases).map(([a, v]) => `${a}→${v}`).join(', ')}`);

function runStep(action, inputs, extraEnv = {}) {
  const output = join(work, `${action}.output`);
  const summary = join(work, `${action}.summary.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: work, ...extraEnv };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'dist', action, 'index.js')], { cwd: work, env, encoding: 'utf8' });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(r.stdout.split('\n').filter((l) => !l.startsWith('::debug::')).join('\n'));
  if (r.status !== 0) {
    console.error(r.stderr);
    throw new Error(`${action} failed (exit ${r.status})`);
  }
  console.log(`\n-- ${action}: exit ${r.status} in ${ms} ms; outputs:`);
  const text = readFileSync(output, 'utf8');
  for (const m of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) console.log(`   ${m[1]} = ${m[3]}`);
  console.log(`-- step summary (${summary}):\n${readFileSync(summary, 'utf8')}`);
}

say('mlflow-metadata: the version behind alias "champion", with its metric histories');
runStep('mlflow-metadata', {
  'tracking-uri': server.url,
  'model-name': seed.prod_model.name,
  'model-alias': 'champion',
  'metric-history': 'all',
  'output-file': 'model_metadata.json',
});
const meta = JSON.parse(readFileSync(join(work, 'model_metadata.json'), 'utf8'));
console.log(`model_metadata.json: ${meta.model_name} v${meta.version}, stage ${meta.stage}, ${Object.keys(meta.metrics).length} metrics, ${Object.values(meta.metric_history).reduce((n, h) => n + h.length, 0)} history points`);

say('mlflow-metadata with a mistyped model name: one clear line, nothing written');
const bad = spawnSync(process.execPath, [join(root, 'dist', 'mlflow-metadata', 'index.js')], {
  cwd: work,
  env: { PATH: process.env.PATH, 'INPUT_TRACKING-URI': server.url, 'INPUT_MODEL-NAME': 'prod-recomendation-engine', 'INPUT_MODEL-VERSION': '3' },
  encoding: 'utf8',
});
console.log(bad.stdout.split('\n').filter((l) => l.startsWith('::error::')).join('\n'), `(exit ${bad.status})`);

say('s3-publish: the metadata folder as an immutable version on a real S3-compatible server (MinIO)');
const site = join(work, 'site');
mkdirSync(site);
copyFileSync(join(work, 'model_metadata.json'), join(site, 'model_metadata.json'));
const s3 = await startS3Server({ dataDir: join(work, 's3') });
process.on('exit', () => s3.stop());
const s3env = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_EC2_METADATA_DISABLED: 'true' };
await createBucket(s3, 'model-artifacts');
runStep('s3-publish', {
  'source-dir': site,
  bucket: 'model-artifacts',
  'model-name': meta.model_name,
  'model-version': meta.version,
  endpoint: s3.endpoint,
  'force-path-style': 'true',
}, s3env);

say(`Done. Files are in ${work}`);
server.stop();
process.exit(0);

/** A bucket for the demo, made with a signed PUT through the SDK the action itself uses. */
async function createBucket(s3, name) {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: name }));
  client.destroy();
}
