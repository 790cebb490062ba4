// The two baselines of bench/ephemeral-test, installed on first use:
//   ensureWrk()    -> path of wrk (Debian's package, installed with apt-get when missing)
//   ensureLocust() -> path of locust in a venv under ~/.cache/mlflow-actions (PyPI, pinned)
// Both installs are serialised with flock, since other benches and tests share the cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../scripts/services/mlflow.mjs';

export const LOCUST_VERSION = '2.47.0';

function onPath(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** wrk from Debian: `apt-get install wrk` when it is not on PATH yet (needs root, as on this machine). */
export function ensureWrk() {
  const found = onPath('wrk');
  if (found) return found;
  console.error('bench/ephemeral-test: wrk is missing; installing the Debian package with apt-get (a minute)');
  mkdirSync(cacheRoot(), { recursive: true });
  const lock = join(cacheRoot(), 'apt.lock');
  const run = (args) =>
    execFileSync('flock', [lock, 'apt-get', ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    run(['install', '-y', '-q', 'wrk']);
  } catch {
    console.error('bench/ephemeral-test: apt-get install failed; updating the package lists and trying again');
    run(['update', '-q']);
    run(['install', '-y', '-q', 'wrk']);
  }
  const path = onPath('wrk');
  if (!path) throw new Error('wrk is still not on PATH after apt-get install wrk');
  return path;
}

/** locust==LOCUST_VERSION in its own venv under the cache; `.complete` marks a finished install. */
export function ensureLocust() {
  const dir = join(cacheRoot(), `venv-locust-${LOCUST_VERSION}`);
  const bin = join(dir, 'bin', 'locust');
  if (existsSync(join(dir, '.complete'))) return bin;
  mkdirSync(cacheRoot(), { recursive: true });
  const lock = join(cacheRoot(), `venv-locust-${LOCUST_VERSION}.lock`);
  // One shell under flock: a second bench waits, then finds the venv complete.
  const script = [
    'set -e',
    `[ -f "${dir}/.complete" ] && exit 0`,
    `echo "bench/ephemeral-test: installing locust==${LOCUST_VERSION} into ${dir} (first run; a minute or two)" >&2`,
    `rm -rf "${dir}"`,
    `python3 -m venv "${dir}"`,
    `"${dir}/bin/python" -m pip install --progress-bar off --disable-pip-version-check -q "locust==${LOCUST_VERSION}"`,
    `"${dir}/bin/locust" --version >&2`,
    `touch "${dir}/.complete"`,
  ].join('\n');
  try {
    execFileSync('flock', [lock, 'sh', '-c', script], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    throw new Error(`could not install locust==${LOCUST_VERSION} with pip into ${dir}: ${e.message}`, { cause: e });
  }
  return bin;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(ensureWrk());
  console.log(ensureLocust());
}
