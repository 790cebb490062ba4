// The root composite's first step: checks the Node the steps will run on, then every later
// step's inputs, before anything is read from MLflow or written anywhere. A typo in the Hiera
// inputs then fails in seconds, not after the viewer was published to S3.
//
// Why a Node check: in a composite, each step runs `node` from PATH (the runner's own Node 24,
// which runs JavaScript actions, is not on it), and the bundles in dist/ are built and tested
// for Node 24, the version their action.yml declare. Plain JavaScript with no imports beyond
// node: built-ins, so that this file itself runs on an older Node and can say what to do.
//
// The step's env holds each later step's INPUT_* under the bundle's name
// (`BUILD_VIEWER__INPUT_TITLE`), exactly as that step passes them, and MLFLOW_ACTIONS_CHECK lists
// the bundles in step order. `<BUNDLE>__WHEN` mirrors a step's `if: X != ''`: empty skips the
// check, as the runner skips the step. What an earlier step produces does not exist yet: a value
// `{stand-in:file}` / `{stand-in:dir}` / `{stand-in:version}` / `{stand-in:text}` is replaced by
// a stand-in of that kind, so the check sees what the real step would be given. Each bundle
// checks its inputs only (MLFLOW_ACTIONS_INPUTS_ONLY=true), masks its credentials first and
// prints its own one-line errors; every bundle is checked, so all mistakes show at once.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_NODE_MAJOR) {
  console.log(
    `::error::mlflow-deploy-actions: this action runs its steps on the node on PATH, which is ${process.version}; ` +
      `it needs Node ${REQUIRED_NODE_MAJOR} or newer: add actions/setup-node with node-version: ${REQUIRED_NODE_MAJOR} before it`,
  );
  process.exit(1);
}

const bundles = (process.env.MLFLOW_ACTIONS_CHECK ?? '').split(/\s+/).filter(Boolean);
const prefixOf = (bundle) => `${bundle.toUpperCase().replace(/-/g, '_')}__`;
const prefixes = bundles.map(prefixOf);

// The stand-ins live in RUNNER_TEMP (the runner empties it after the job) and go in the end.
const standIns = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'preflight-'));
const standIn = {
  file: () => {
    const file = join(standIns, 'model_metadata.json');
    writeFileSync(file, '{}\n');
    return file;
  },
  dir: () => {
    const dir = join(standIns, 'site');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>\n');
    return dir;
  },
  version: () => '1',
  text: () => 'stand-in',
};

let failed = 0;
try {
  for (const bundle of bundles) {
    const prefix = prefixOf(bundle);
    const when = process.env[`${prefix}WHEN`];
    if (when !== undefined && when === '') continue;
    // The child sees the job's environment and its own inputs only, as the real step would.
    const env = {};
    for (const [k, v] of Object.entries(process.env))
      if (!k.startsWith('INPUT_') && !prefixes.some((p) => k.startsWith(p))) env[k] = v;
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith(`${prefix}INPUT_`)) continue;
      const kind = /^\{stand-in:(\w+)\}$/.exec(v ?? '')?.[1];
      env[k.slice(prefix.length)] = kind && standIn[kind] ? standIn[kind]() : v;
    }
    env.MLFLOW_ACTIONS_INPUTS_ONLY = 'true';
    const main = fileURLToPath(new URL(`../dist/${bundle}/index.js`, import.meta.url));
    const r = spawnSync(process.execPath, [main], { env, stdio: 'inherit' });
    // An action reports an input error through process.exitCode; a crash is a non-zero too.
    if (r.status !== 0) failed++;
  }
} finally {
  rmSync(standIns, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
