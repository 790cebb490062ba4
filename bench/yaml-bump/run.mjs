// bench/yaml-bump: change one value in a 20,000-line YAML file with our editor, with
// mikefarah's yq (`yq -i`, built with `go install`, cached) and with seed 000's sed script.
// Whole-process times (median of 7) as ratios, and the lines each one changed.
import { writeSection } from '../lib/results.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const RUNS = 7;
const YQ_VERSION = 'v4.47.1';
const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlflow-actions', 'yq');
const yq = join(cache, 'bin', 'yq');
if (!existsSync(yq)) {
  console.log(`building yq ${YQ_VERSION} with go install (cached in ${cache})`);
  mkdirSync(cache, { recursive: true });
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  execFileSync(go, ['install', `github.com/mikefarah/yq/v4@${YQ_VERSION}`], {
    stdio: 'inherit',
    env: {
      ...process.env,
      GOPATH: join(cache, 'gopath'),
      GOMODCACHE: join(cache, 'gopath/pkg/mod'),
      GOCACHE: join(cache, 'gocache'),
      GOBIN: join(cache, 'bin'),
      GOFLAGS: '-mod=mod',
    },
  });
}

const work = mkdtempSync(join(tmpdir(), 'bench-yaml-'));
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    join(root, 'bench/yaml-bump/edit-cli.ts'),
    '-o',
    join(work, 'cli'),
    '--minify',
    '--quiet',
    '--transpile-only',
  ],
  { cwd: root },
);
const cli = join(work, 'cli', 'index.js');
// ncc marks ESM output with a package.json beside it.

// A values file shaped like a large umbrella chart: 400 services, comments, anchors, flow maps.
function valuesFile() {
  const out = [
    '# Umbrella chart values: one block per service.',
    '---',
    'global:',
    '  imageRegistry: registry.example.com  # mirrored',
    '  pullPolicy: &pull IfNotPresent',
    '',
    'services:',
  ];
  for (let i = 0; out.length < 20_000; i++) {
    const n = String(i).padStart(4, '0');
    out.push(
      `  # svc-${n}: owned by team-${i % 17}`,
      `  svc-${n}:`,
      '    enabled: yes',
      '    image:',
      `      repository: registry.example.com/team-${i % 17}/svc-${n}`,
      `      tag: "1.${i % 50}.${i % 7}"  # bumped by CI`,
      '      pullPolicy: *pull',
      '    replicas: 2',
      `    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: ${256 + (i % 4) * 128}Mi } }`,
      '    env:',
      `      - { name: LOG_LEVEL, value: info }`,
      `      - name: FEATURE_FLAGS`,
      `        value: "a,b,c"`,
      '',
    );
  }
  return out.join('\n') + '\n';
}

function hieraFile() {
  const out = ['---', '# Hiera common data', 'classes:', '  - role::web', ''];
  for (let i = 0; out.length < 20_000 - 4; i++)
    out.push(`profile::app_${i}::enabled: yes  # keep`, `profile::app_${i}::port: ${8000 + (i % 1000)}`, '');
  out.push(
    'model_viewer::artifact_version: "prod-recommendation-engine-2-1677510000" # This value gets updated by CI',
    'model_viewer::install_dir: /var/www/html/model-viewer',
    '',
  );
  return out.join('\n');
}

// seed 000's update_hiera.sh, verbatim in behaviour.
const SED_SCRIPT = `set -euo pipefail
FILE_PATH=$1; KEY=$2; NEW_VALUE=$3
if grep -q "^\${KEY}:" "\${FILE_PATH}"; then
  sed -i "s|^\${KEY}:.*|\${KEY}: \\"\${NEW_VALUE}\\"|" "\${FILE_PATH}"
else
  echo "\${KEY}: \\"\${NEW_VALUE}\\"" >> "\${FILE_PATH}"
fi`;

const cases = [
  {
    name: 'Helm values, nested image tag',
    text: valuesFile(),
    ours: 'services.svc-0200.image.tag',
    yq: '.services.svc-0200.image.tag = "2.0.0"',
    sedKey: 'services.svc-0200.image.tag',
    value: '2.0.0',
  },
  {
    name: 'Hiera, top-level key with a trailing comment',
    text: hieraFile(),
    ours: 'model_viewer::artifact_version',
    yq: '.["model_viewer::artifact_version"] = "prod-recommendation-engine-3-1767225600"',
    sedKey: 'model_viewer::artifact_version',
    value: 'prod-recommendation-engine-3-1767225600',
  },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(file, original, cmd, args) {
  const times = [];
  let status = 0;
  for (let i = 0; i < RUNS + 1; i++) {
    writeFileSync(file, original);
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    const ms = performance.now() - t;
    status = r.status;
    if (i > 0) times.push(ms); // first run warms the file cache
  }
  return { ms: median(times), status, after: readFileSync(file, 'utf8') };
}
function changedLines(before, after) {
  const r = spawnSync('git', ['diff', '--no-index', '--numstat', '--', 'a', 'b'], {
    cwd: (writeFileSync(join(work, 'a'), before), writeFileSync(join(work, 'b'), after), work),
    encoding: 'utf8',
  });
  const [added = '0', removed = '0'] = r.stdout.trim().split(/\s+/);
  return { added: Number(added), removed: Number(removed) };
}

const rows = [];
for (const c of cases) {
  const file = join(work, 'values.yaml');
  const lines = c.text.split('\n').length - 1;
  const ours = measure(file, c.text, process.execPath, [cli, file, c.ours, c.value]);
  const yqr = measure(file, c.text, yq, ['-i', c.yq, file]);
  const sed = measure(file, c.text, 'bash', ['-c', SED_SCRIPT, 'update_hiera', file, c.sedKey, c.value]);
  for (const [tool, r] of [
    ['ours', ours],
    ['yq', yqr],
    ['sed', sed],
  ]) {
    const d = changedLines(c.text, r.after);
    rows.push({
      case: c.name,
      lines,
      tool,
      ms: r.ms,
      status: r.status,
      ...d,
      note: r.status !== 0 ? `exit ${r.status}` : '',
    });
  }
}
const byCase = (name, tool) => rows.find((r) => r.case === name && r.tool === tool);
console.log(
  rows.map((r) => `${r.case} | ${r.tool}: ${r.ms.toFixed(1)} ms, +${r.added}/-${r.removed} lines ${r.note}`).join('\n'),
);

const section = [
  '## yaml-bump',
  '',
  `One value changed in a ~20,000-line file. Whole-process wall time, median of ${RUNS} runs after a warm-up; ` +
    `lines changed from \`git diff --numstat\`. yq is mikefarah's yq ${YQ_VERSION} built with \`go install\`; sed ` +
    `is seed 000's \`update_hiera.sh\`; ours is the YAML editor (packages/yaml-edit) bundled with ncc into a ` +
    `one-shot CLI.`,
  '',
  '| file | tool | time | vs yq | lines changed (+/-) |',
  '| --- | --- | ---: | ---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.tool} | ${r.ms.toFixed(0)} ms | ${(r.ms / byCase(r.case, 'yq').ms).toFixed(2)}x | ` +
      `+${r.added} / -${r.removed}${r.note ? ` (${r.note})` : ''} |`,
  ),
  '',
  "Goal: exactly one changed line, in at most 2x yq's time. yq re-serialises the whole document (its diff shows " +
    "every line it reformatted); seed 000's sed cannot address a nested key and appends a new top-level line " +
    'instead, and on the Hiera key it drops the trailing comment.',
  '',
  'How ours gets there: it used to parse the whole file with the `yaml` library three times per edit (before, ' +
    'then after under YAML 1.2 and 1.1, comparing every node), which took 1236 ms and 703 ms (6.7x yq). Now a ' +
    'file of 65,536 characters or more is first read by a one-pass reader for the plain YAML subset ' +
    '(packages/yaml-edit/src/fast-scan.ts: block collections, one-line scalars and flow collections, comments, ' +
    'anchors, aliases, block scalars, documents), which validates the whole file and finds the target token ' +
    'without the `yaml` library (cold, ~25 ms for the Hiera file and ~50 ms for the Helm file); the new token is ' +
    'checked in place: re-read by the same reader where the old one was, and parsed alone in its context under ' +
    'YAML 1.2 and 1.1 with the `yaml` library. A large file outside the subset is parsed once and a one-line ' +
    'token swap is checked locally; small files and other kinds of edit keep the full re-parse and node-by-node ' +
    "comparison. The rest of our time is node start-up, loading the ES-module bundle and the library's first tiny " +
    'parses (~85-100 ms; `node -e 0` alone is ~60 ms). For scale, one `yaml`-library parse of the Helm file costs ' +
    "~400 ms cold and of the Hiera file ~220 ms, each more than yq's whole run.",
  '',
  `Run with \`npm run bench yaml-bump\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
writeSection('yaml-bump', section);
