// bench/s3-publish: the committed s3-publish bundle (dist/s3-publish/index.js, run with INPUT_*
// variables as the runner runs it) against the AWS CLI (`aws s3 cp --recursive`, `aws s3 sync`;
// awscli from PyPI in a cached venv), same MinIO server on 127.0.0.1, one run each, as ratios:
//   - 2,000 files of 1-10 KB (goal: at least 2x faster);
//   - 20 files of 50 MB (goal: no slower);
//   - re-publishing an unchanged site in sync mode, ours `delete: true` against `aws s3 sync`
//     (goal: at least 10x faster). Measured twice: with the files as they were (the CLI then skips
//     by size and time stamp) and rebuilt with identical content but new time stamps, which is
//     what a CI job that builds the site again hands over (the CLI then sends everything);
//   - the action's peak RSS while uploading one 1 GB file (goal: at most 200 MB).
// Writes the `## s3-publish` section of bench/RESULTS.md; removes all its data afterwards.
import { writeSection } from '../lib/results.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startS3Server } from '../../scripts/services/s3/server.mjs';

const root = resolve(import.meta.dirname, '../..');
const bundle = join(root, 'dist/s3-publish/index.js');
const venv = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlflow-actions', 'awscli-venv');
const aws = join(venv, 'bin', 'aws');
if (!existsSync(aws)) {
  console.log(`installing the AWS CLI from PyPI into ${venv}`);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', 'awscli'], { stdio: 'inherit' });
}
const awsVersion = execFileSync(aws, ['--version'], { encoding: 'utf8' }).trim().split(' ')[0];
// GNU time reports the peak RSS of exactly the process it runs (Debian package `time`).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const work = mkdtempSync(join(tmpdir(), 'bench-s3-'));
const server = await startS3Server({ dataDir: join(work, 'minio') });
const rows = [];
let mem;
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ACCESS_KEY_ID: server.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  AWS_DEFAULT_REGION: server.region,
  AWS_REGION: server.region,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const bucket = 'bench';
const endpointArgs = ['--endpoint-url', server.endpoint];
// --only-show-errors: the CLI's per-file progress lines would cost it time that is not upload.
const awsArgs = [...endpointArgs, '--only-show-errors'];

// Pseudo-random content (a linear congruential generator): deterministic, incompressible enough.
let seed = 42;
function fill(buf) {
  for (let i = 0; i + 4 <= buf.length; i += 4) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    buf.writeUInt32LE(seed, i);
  }
  return buf;
}
function makeSmallSite(dir) {
  for (let i = 0; i < 2000; i++) {
    const sub = join(dir, `section-${i % 20}`, `part-${i % 7}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `file-${i}.bin`), fill(Buffer.alloc(1024 + ((i * 7919) % 9216))));
  }
}
function makeLargeFiles(dir, count, mib) {
  mkdirSync(dir, { recursive: true });
  const chunk = fill(Buffer.alloc(1 << 20));
  for (let i = 0; i < count; i++) {
    const fd = openSync(join(dir, `weights-${i}.bin`), 'w');
    for (let j = 0; j < mib; j++) {
      chunk.writeUInt32LE(i * 100_000 + j, 0); // no two MiB alike
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
}
/** What a rebuild of the same site looks like: same bytes, new modification times. */
function touchAll(dir) {
  const now = new Date();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else utimesSync(join(d, e.name), now, now);
    }
  };
  walk(dir);
}

/** Runs a command to completion; wall time in ms and, with GNU time, peak RSS in MB. */
function timed(cmd, args, extraEnv = {}) {
  const rssFile = join(work, 'rss');
  const [bin, argv] = gnuTime ? [gnuTime, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`));
      const peakMb = gnuTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
      resolveRun({ ms, peakMb, out });
    });
  });
}

function ours(dir, version, extra = {}) {
  const inputs = { 'source-dir': dir, bucket, prefix: 'ours', 'artifact-version': version, endpoint: server.endpoint, ...extra };
  return timed(process.execPath, [bundle], Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])));
}
const awsCp = (dir, key) => timed(aws, ['s3', 'cp', dir, `s3://${bucket}/aws/${key}/`, '--recursive', ...awsArgs]);
const awsSync = (dir, key) => timed(aws, ['s3', 'sync', dir, `s3://${bucket}/aws/${key}/`, ...awsArgs]);
/** Empties the bucket between cases, so MinIO never holds more than one case's data. */
const emptyBucket = () => execFileSync(aws, ['s3', 'rm', `s3://${bucket}/`, '--recursive', ...awsArgs], { env });
const outputOf = (run, name) => new RegExp(`${name}::(.*)`).exec(run.out)?.[1] ?? '?';

function record(label, a, b, baseName, goal) {
  const ratio = b.ms / a.ms;
  rows.push({ label, ours: a.ms, base: b.ms, baseName, ratio, goal });
  console.log(`${label}: ours ${(a.ms / 1000).toFixed(2)} s, ${baseName} ${(b.ms / 1000).toFixed(2)} s: ${ratio.toFixed(2)}x (goal ${goal.text})`);
}

// The cases. On any failure too, the server is stopped (it would outlive us) and every byte
// written is removed.
try {
  execFileSync(aws, ['s3', 'mb', `s3://${bucket}`, ...endpointArgs], { env });
  const small = join(work, 'small');
  makeSmallSite(small);
  record('2,000 files of 1-10 KB', await ours(small, 'small'), await awsCp(small, 'small'), 'aws s3 cp --recursive', { min: 2, text: '>= 2x' });
  emptyBucket();

  // Sync: publish once, then re-publish the same directory.
  await ours(small, 'live', { delete: 'true' });
  await awsSync(small, 'live');
  const untouchedOurs = await ours(small, 'live', { delete: 'true' });
  if (outputOf(untouchedOurs, 'files-uploaded') !== '0') throw new Error(`the unchanged re-publish uploaded ${outputOf(untouchedOurs, 'files-uploaded')} files`);
  record('re-publish, unchanged files as they were (sync)', untouchedOurs, await awsSync(small, 'live'), 'aws s3 sync', { min: 10, text: '>= 10x' });
  touchAll(small);
  const rebuiltOurs = await ours(small, 'live', { delete: 'true' });
  if (outputOf(rebuiltOurs, 'files-uploaded') !== '0') throw new Error(`the rebuilt re-publish uploaded ${outputOf(rebuiltOurs, 'files-uploaded')} files`);
  record('re-publish, same content rebuilt with new time stamps (sync)', rebuiltOurs, await awsSync(small, 'live'), 'aws s3 sync', { min: 10, text: '>= 10x' });
  rmSync(small, { recursive: true, force: true });
  emptyBucket();

  const large = join(work, 'large');
  makeLargeFiles(large, 20, 50);
  record('20 files of 50 MB', await ours(large, 'large'), await awsCp(large, 'large'), 'aws s3 cp --recursive', { min: 1, text: '>= 1x (no slower)' });
  rmSync(large, { recursive: true, force: true });
  emptyBucket();

  const huge = join(work, 'huge');
  makeLargeFiles(huge, 1, 1024);
  mem = await ours(huge, 'huge');
  rmSync(huge, { recursive: true, force: true });
  emptyBucket();
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
console.log(`1 GB file: ${(mem.ms / 1000).toFixed(1)} s, peak RSS ${mem.peakMb.toFixed(0)} MB (goal <= 200 MB)`);

const verdict = (ok) => (ok ? 'met' : '**not met**');
// Two decimals near the goals, so that 1.97x is not shown as a "2.0x" that missed 2x.
const ratio = (x) => `${x.toFixed(x < 10 ? 2 : 1)}x`;
const section = [
  '## s3-publish',
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}; MinIO (built from its Go module) on 127.0.0.1 shares the 2 cores with the client. Baseline: ${awsVersion} from PyPI, default settings (10 threads, 8 MiB parts). Ours: the committed bundle with the action's defaults (8 files at once, 2 parts of 8 MiB per large file), including hashing every file (SHA-256), the store verifying a SHA-256 checksum of every object or part, manifest.json and VERSION. Whole-process wall time, one run each.`,
  '',
  '| case | s3-publish | baseline | speed-up | goal |',
  '| --- | ---: | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.label} | ${(r.ours / 1000).toFixed(2)} s | ${(r.base / 1000).toFixed(2)} s (\`${r.baseName}\`) | **${ratio(r.ratio)}** | ${r.goal.text}: ${verdict(r.ratio >= r.goal.min)} |`),
  '',
  `Peak RSS of the action process while uploading one 1 GB file: **${mem.peakMb.toFixed(0)} MB** (${gnuTime ? 'GNU time' : 'not measured: install the Debian package `time`'}), in ${(mem.ms / 1000).toFixed(1)} s. Goal: at most 200 MB: ${verdict(mem.peakMb <= 200)}.`,
  '',
  'Why the unchanged re-publish is measured twice: `aws s3 sync` skips a file whose size matches and whose local time stamp is not newer than the stored object, so on files left as they were it only lists and compares, and both tools spend most of their time starting up (Python and the AWS CLI, Node and the AWS SDK) and listing 2,000 keys. A CI job builds the site again before publishing: same bytes, new time stamps, and then the CLI sends every file again while s3-publish compares SHA-256 with the previous manifest and sends nothing.',
  '',
  'Large files: both clients leave MinIO about 5 s of CPU per GB (checksums, MD5 for the ETag, its own bit-rot hashes, writes), so on 2 shared cores the two finish within noise of each other (repeated runs here ranged from about 0.85x to 1.2x). Per byte the CLI computes a SHA-256 (it signs the payload) and a CRC32 per part; s3-publish computes the SHA-256 of the whole file (for manifest.json and the object metadata that lets a rerun skip it) and a SHA-256 per part that the store verifies (the payload is not signed twice: see packages/s3-publish/src/client.ts). Matching the CLI would mean checking parts with CRC32 only, which an attacker on a plain-http link could forge.',
  '',
  'Small files: per PUT, MinIO spends about 0.9 ms of CPU whoever sends it, our client about 1.3 ms (mostly the AWS SDK\'s per-request work: middleware, signing, HTTP) and the CLI about 2.4 ms; on 2 shared cores that puts the speed-up near 2x. One run each: with other work on the machine, single figures move by 10-20%.',
  '',
  `Run with \`npm run bench s3-publish\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
writeSection('s3-publish', section);
process.exit(0);
