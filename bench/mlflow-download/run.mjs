// bench/mlflow-download: mlflow-metadata with `download-dir` (the committed bundle, as the runner
// runs it) against `mlflow artifacts download` (MLflow's own CLI), same server, same model
// version, alternating runs, medians; peak RSS of each with GNU time. Two models: a few hundred
// small files in nested folders, and one 200 MB file. Goal (issue 14): at least 5x faster, peak
// memory under 150 MB. Writes its section of bench/RESULTS.md.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSection } from '../lib/results.mjs';
import { runnerNode } from '../../scripts/services/node24.mjs';
import { ensureMlflowVenv, startMlflowServer, MLFLOW_VERSION } from '../../scripts/services/mlflow.mjs';

const root = resolve(import.meta.dirname, '../..');
const runtime = runnerNode();
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 3);
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const work = mkdtempSync(join(tmpdir(), 'bench-dl-'));
const python = ensureMlflowVenv();
// MLflow's own default of 4 workers, as a production server runs.
const server = await startMlflowServer({ python, dir: join(work, 'mlflow'), workers: 4 });
process.on('exit', () => {
  server.stop();
  rmSync(work, { recursive: true, force: true });
});
const env = { PATH: process.env.PATH, HOME: process.env.HOME, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };

function writeModel(dir, files) {
  for (const [rel, data] of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), data);
  }
}
const many = join(work, 'files-many');
writeModel(many, [
  ['MLmodel', 'flavors: {}\n'],
  ['requirements.txt', 'mlflow\n'],
  ...Array.from({ length: 300 }, (_, i) => [
    `tokenizer/part-${i % 10}/piece-${i}.json`,
    randomBytes(2000 + ((i * 37) % 8000)),
  ]),
]);
const big = join(work, 'files-big');
writeModel(big, [['MLmodel', 'flavors: {}\n']]);
mkdirSync(join(big, 'data'), { recursive: true });
writeFileSync(join(big, 'data', 'model.bin'), randomBytes(200 * 1000 * 1000));

function seed(files, name) {
  const out = join(work, `${name}.json`);
  execFileSync(
    python,
    [
      join(root, 'scripts/services/seed_artifacts.py'),
      '--tracking-uri',
      server.url,
      '--files',
      files,
      '--model-name',
      name,
      '--out',
      out,
    ],
    {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** Wall time and, with GNU time, peak RSS in MB of one process run to completion. */
function timed(cmd, args, extraEnv = {}) {
  const rssFile = join(work, 'rss');
  const [bin, argv] = gnuTime ? [gnuTime, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, { cwd: work, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`));
      const kb = gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
      resolveRun({ ms, peakMb: (kb * 1024) / 1e6 });
    });
  });
}

let n = 0;
function ours(name, version) {
  const dir = join(work, `ours-${n++}`);
  const inputs = {
    'tracking-uri': server.url,
    'model-name': name,
    'model-version': version,
    'output-file': join(work, 'meta.json'),
    'download-dir': dir,
  };
  return timed(runtime.path, [join(root, 'dist/mlflow-metadata/index.js')], {
    GITHUB_OUTPUT: join(work, 'out'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
function cli(name, version) {
  const dir = join(work, `cli-${n++}`);
  return timed(python, ['-m', 'mlflow', 'artifacts', 'download', '-u', `models:/${name}/${version}`, '-d', dir], {
    MLFLOW_TRACKING_URI: server.url,
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function compare(label, s) {
  const v = s.versions.logged_model;
  await ours(s.model_name, v);
  await cli(s.model_name, v); // warm both (page cache, server) before measuring
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await ours(s.model_name, v));
    b.push(await cli(s.model_name, v));
  }
  const row = {
    label,
    ours: median(a.map((r) => r.ms)),
    base: median(b.map((r) => r.ms)),
    oursPeak: Math.max(...a.map((r) => r.peakMb)),
    basePeak: Math.max(...b.map((r) => r.peakMb)),
  };
  console.log(
    `${label}: ours ${row.ours.toFixed(0)} ms (${row.oursPeak.toFixed(0)} MB), mlflow ${row.base.toFixed(0)} ms ` +
      `(${row.basePeak.toFixed(0)} MB): ${(row.base / row.ours).toFixed(1)}x`,
  );
  return row;
}

const manyBytes = Number(execFileSync('du', ['-sb', many], { encoding: 'utf8' }).split('\t')[0]);
const rows = [
  await compare(`302 files, ${(manyBytes / 1e6).toFixed(1)} MB, in nested folders`, seed(many, 'bench-many')),
  await compare('one 200 MB file', seed(big, 'bench-big')),
];
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const ok = (b) => (b ? 'met' : '**not met**');
const section = [
  '## mlflow-download',
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${load} at the end (shared with ` +
    `other work), Node ${runtime.version}, MLflow ${MLFLOW_VERSION} server (sqlite, local artifact destination ` +
    `behind the proxy, 4 workers) on 127.0.0.1. Whole-process wall time, median of ${RUNS} alternating runs after ` +
    `one warm-up each; peak RSS is the highest of those runs (GNU time).`,
  'Ours: the committed mlflow-metadata bundle with `download-dir` (it also reads the version and writes the ' +
    "metadata file). Baseline: `mlflow artifacts download -u models:/<name>/<version> -d <dir>`, MLflow's own " +
    'CLI, same version (an MLflow 3 logged model).',
  '',
  '| model | mlflow-metadata + download-dir | mlflow artifacts download | speed-up | peak RSS ours / MLflow |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${(r.ours / 1000).toFixed(2)} s | ${(r.base / 1000).toFixed(2)} s | ` +
      `**${(r.base / r.ours).toFixed(1)}x** | ${r.oursPeak.toFixed(0)} MB / ${r.basePeak.toFixed(0)} MB |`,
  ),
  '',
  `Goals: at least 5x faster: ${ok(rows.every((r) => r.base / r.ours >= 5))}; peak memory under 150 MB: ` +
    `${ok(rows.every((r) => r.oursPeak < 150))}.`,
  'Files go 8 at a time; a file of 64 MiB or more goes in 16 MiB ranges fetched in parallel (the server answers ' +
    'ranges with 206), where one stream is bound by the one server worker that serves it.',
  '',
  `Run with \`npm run bench mlflow-download\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
writeSection('mlflow-download', section);
process.exit(0);
