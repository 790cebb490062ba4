// bench/s3-publish: the s3-publish bundle against `aws s3 cp --recursive` / `aws s3 sync` (AWS CLI
// from PyPI, in a cached venv), same MinIO server, one run each, printed as ratios:
// 2,000 files of 1-10 KB; 20 files of 50 MB; re-publishing an unchanged site in sync mode.
// Also the action's peak RSS while uploading one 1 GB file. Writes its section of bench/RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startS3Server } from '../../scripts/services/s3/server.mjs';

const root = resolve(import.meta.dirname, '../..');
const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlflow-actions');
const venv = join(cache, 'awscli-venv');
const aws = join(venv, 'bin', 'aws');
if (!existsSync(aws)) {
  console.log('installing the AWS CLI from PyPI into', venv);
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', 'awscli'], { stdio: 'inherit' });
}
const awsVersion = execFileSync(aws, ['--version'], { encoding: 'utf8' }).trim();

const work = mkdtempSync(join(tmpdir(), 'bench-s3-'));
const server = await startS3Server({ dataDir: join(work, 'minio') });
process.on('exit', () => {
  server.stop();
  rmSync(work, { recursive: true, force: true });
});
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: server.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  AWS_DEFAULT_REGION: server.region,
  AWS_REGION: server.region,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const bucket = 'bench';
execFileSync(aws, ['s3', 'mb', `s3://${bucket}`, '--endpoint-url', server.endpoint], { env, stdio: 'ignore' });

// Data: pseudo-random bytes (incompressible enough; S3 stores bytes as given).
let seed = 42;
function fill(buf) {
  for (let i = 0; i < buf.length; i += 4) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    buf.writeUInt32LE(seed, i - (i + 4 > buf.length ? i + 4 - buf.length : 0));
  }
  return buf;
}
function makeSmall(dir) {
  for (let i = 0; i < 2000; i++) {
    const sub = join(dir, `d${i % 20}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), fill(Buffer.alloc(1024 + ((i * 7919) % 9216))));
  }
}
function makeLarge(dir, count, mb) {
  mkdirSync(dir, { recursive: true });
  const chunk = fill(Buffer.alloc(1 << 20));
  for (let i = 0; i < count; i++) {
    const fd = openSync(join(dir, `part-${i}.bin`), 'w');
    for (let j = 0; j < mb; j++) {
      chunk.writeUInt32LE(i * 100000 + j, 0); // no two MiB the same
      writeSync(fd, chunk);
    }
    closeSync(fd);
  }
}

function timed(cmd, args, extraEnv = {}) {
  return new Promise((resolveP, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited
      }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = performance.now() - t;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out.slice(-2000)}`));
      else resolveP({ ms, peakMb: peakKb / 1024 });
    });
  });
}
const ours = (dir, version, extra = {}) => {
  const inputs = { 'source-dir': dir, bucket, prefix: 'ours', 'artifact-version': version, endpoint: server.endpoint, 'force-path-style': 'true', ...extra };
  return timed(process.execPath, [join(root, 'dist/s3-publish/index.js')], Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])));
};
const awsCp = (dir, key) => timed(aws, ['s3', 'cp', dir, `s3://${bucket}/aws/${key}/`, '--recursive', '--only-show-errors', '--endpoint-url', server.endpoint]);
const awsSync = (dir, key) => timed(aws, ['s3', 'sync', dir, `s3://${bucket}/aws/${key}/`, '--only-show-errors', '--endpoint-url', server.endpoint]);

const rows = [];
const small = join(work, 'small');
makeSmall(small);
{
  const a = await ours(small, 'small-1');
  const b = await awsCp(small, 'small-1');
  rows.push({ label: '2,000 files of 1-10 KB', ours: a.ms, base: b.ms, baseName: 'aws s3 cp --recursive' });
}
{
  await ours(small, 'sync-1', { delete: 'true' });
  await awsSync(small, 'sync-1');
  const a = await ours(small, 'sync-1', { delete: 'true' });
  const b = await awsSync(small, 'sync-1');
  rows.push({ label: 're-publish of the unchanged 2,000-file site (sync)', ours: a.ms, base: b.ms, baseName: 'aws s3 sync' });
}
rmSync(small, { recursive: true, force: true });
const large = join(work, 'large');
makeLarge(large, 20, 50);
{
  const a = await ours(large, 'large-1');
  const b = await awsCp(large, 'large-1');
  rows.push({ label: '20 files of 50 MB', ours: a.ms, base: b.ms, baseName: 'aws s3 cp --recursive' });
}
rmSync(large, { recursive: true, force: true });
const huge = join(work, 'huge');
makeLarge(huge, 1, 1024);
const mem = await ours(huge, 'huge-1');
rmSync(huge, { recursive: true, force: true });

for (const r of rows) console.log(`${r.label}: ours ${(r.ours / 1000).toFixed(2)} s, ${r.baseName} ${(r.base / 1000).toFixed(2)} s, ${(r.base / r.ours).toFixed(1)}x`);
console.log(`1 GB file: ${(mem.ms / 1000).toFixed(1)} s, peak RSS ${mem.peakMb.toFixed(0)} MB`);

const section = [
  '## s3-publish',
  '',
  `One run each against the same MinIO server on 127.0.0.1 (built from its Go module), ${awsVersion.split(' ')[0]} from PyPI as the baseline. Whole-process wall time. Ours includes hashing every file (SHA-256), checksums verified by the store, the manifest and the VERSION object.`,
  '',
  '| case | s3-publish | baseline | speed-up |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.label} | ${(r.ours / 1000).toFixed(2)} s | ${(r.base / 1000).toFixed(2)} s (${r.baseName}) | **${(r.base / r.ours).toFixed(1)}x** |`),
  '',
  `Peak memory (VmHWM of the action process) while uploading one 1 GB file: **${mem.peakMb.toFixed(0)} MB** in ${(mem.ms / 1000).toFixed(1)} s (goal: at most 200 MB).`,
  '',
  'Goals: at least 2x faster on small files, no slower on large ones, at least 10x on the unchanged re-sync.',
  '',
  `Run with \`npm run bench s3-publish\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
const results = join(root, 'bench/RESULTS.md');
let text = existsSync(results) ? readFileSync(results, 'utf8') : '# Benchmark results\n\n';
text = text.includes('## s3-publish') ? text.replace(/## s3-publish[\s\S]*?(?=\n## |$)/, section.trimEnd() + '\n') : text.trimEnd() + '\n\n' + section;
writeFileSync(results, text);
console.log(`wrote ${results}`);
process.exit(0);
