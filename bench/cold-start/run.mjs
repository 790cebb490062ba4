// bench/cold-start: for the record (no longer a goal), how long each committed action bundle in dist/
// takes to start, check its inputs and stop, on Node 24 as the runner starts it, against `node -e 0`.
// Each bundle runs with no inputs at all, so it loads, masks, reads its inputs, reports the missing
// required ones as one error annotation each and exits 1 (checked: an input error, not a crash).
// Rounds interleave every bundle with `node -e 0`, the order rotating; medians.
// Writes its section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeSection } from '../lib/results.mjs';
import { runnerNode } from '../../scripts/services/node24.mjs';

const root = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_RUNS ?? 11);
const node = runnerNode();
const work = mkdtempSync(join(tmpdir(), 'bench-cold-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const bundles = readdirSync(join(root, 'dist'))
  .filter((d) => statSync(join(root, 'dist', d, 'index.js'), { throwIfNoEntry: false })?.isFile())
  .sort();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One start, as the runner does it: file-command files present, no INPUT_* at all. */
function start(name) {
  const out = join(work, 'output');
  const summary = join(work, 'summary');
  writeFileSync(out, '');
  writeFileSync(summary, '');
  const args = name === 'node -e 0' ? ['-e', '0'] : [join(root, 'dist', name, 'index.js')];
  const t = performance.now();
  const r = spawnSync(node.path, args, {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: work, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: work },
    encoding: 'utf8',
  });
  const ms = performance.now() - t;
  if (name !== 'node -e 0') {
    const text = `${r.stdout}${r.stderr}`;
    if (r.status !== 1 || !text.includes('::error') || /please report/i.test(text))
      throw new Error(`${name} with no inputs: expected an input error and exit 1, got ${r.status}:\n${text}`);
  }
  return ms;
}

const names = ['node -e 0', ...bundles];
const times = Object.fromEntries(names.map((n) => [n, []]));
const loads = [];
for (const n of names) start(n); // warm the page cache
for (let round = 0; round < ROUNDS; round++) {
  loads.push(loadavg()[0]);
  for (let i = 0; i < names.length; i++) {
    const n = names[(i + round) % names.length];
    times[n].push(start(n));
  }
}
const idle = median(times['node -e 0']);
const rows = bundles.map((b) => {
  const ms = median(times[b]);
  const mb = statSync(join(root, 'dist', b, 'index.js')).size / 1e6;
  console.log(`${b}: ${ms.toFixed(0)} ms (${(ms / idle).toFixed(2)}x node -e 0), bundle ${mb.toFixed(1)} MB`);
  return `| ${b} | ${mb.toFixed(1)} MB | ${ms.toFixed(0)} ms | ${(ms / idle).toFixed(2)}x | ${(ms - idle).toFixed(0)} ms |`;
});

const section = [
  '## cold-start',
  '',
  `For the record; no longer a goal. Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), shared: load ` +
    `average (1 min) ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during the rounds. Node ` +
    `${node.version}, as action.yml's \`node24\`. Each committed bundle started as the runner starts it (\`node ` +
    `dist/<action>/index.js\`, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files present) with no inputs at all: it ` +
    `loads, masks, checks its inputs, prints one error annotation per missing input and exits 1 (checked for each ` +
    `run). Whole-process wall time, median of ${ROUNDS} rounds interleaving every bundle with \`node -e 0\`, the ` +
    `order rotating.`,
  '',
  `| bundle | size | start with bad input | vs \`node -e 0\` (${idle.toFixed(0)} ms) | more than \`node -e 0\` |`,
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  `Run with \`npm run bench cold-start\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
console.log(section);
writeSection('cold-start', section);
