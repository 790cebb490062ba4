#!/usr/bin/env node
// Builds each action's bundle with ncc: dist/<name>/index.js, one ES module (the repository's
// package.json says "type": "module", and Node reads it for dist/ too) from
// actions/<name>/src/main.ts, with every dependency inlined, so the runner needs no npm install.
// The generators run first (schema validator and types, action READMEs, the viewer's app). With
// --check, everything is built into a temporary directory and compared with the committed
// dist/, failing when stale.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const actions = readdirSync(join(root, 'actions')).filter(
  (n) => existsSync(join(root, 'actions', n, 'src', 'main.ts')) && (only.length === 0 || only.includes(n)),
);
// The webhook relay's CLI bundle is no action's; it is built (or checked) with every action, not with one.
const relay = only.length === 0 ? ['packages/webhook-relay/scripts/build.mjs'] : [];
for (const gen of [
  'scripts/gen-validator.mjs',
  'scripts/gen-action-docs.mjs',
  'packages/viewer/scripts/build-app.mjs',
  ...relay,
]) {
  execFileSync(process.execPath, [join(root, gen), ...(check ? ['--check'] : [])], { stdio: 'inherit' });
}
const outRoot = check ? mkdtempSync(join(tmpdir(), 'dist-check-')) : join(root, 'dist');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

for (const name of actions) {
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  // --minify keeps bundles lean; no source maps: the runner never reads them and they double the size.
  const build = (entry, dir) =>
    execFileSync(process.execPath, [ncc, 'build', entry, '-o', dir, '--minify', '--quiet', '--target', 'es2023'], {
      cwd: root,
      stdio: 'inherit',
    });
  build(join('actions', name, 'src', 'main.ts'), out);
  // ncc writes a package.json saying "type": "module" beside an ES module bundle; the
  // repository's own says so already.
  rmSync(join(out, 'package.json'), { force: true });
  if (!check)
    console.log(
      `built dist/${name} (${listFiles(out)
        .map((f) => `${relative(out, f)} ${(statSync(f).size / 1024).toFixed(0)} KiB`)
        .join(', ')})`,
    );
}

if (check) {
  const stale = [];
  for (const name of actions) {
    const fresh = join(outRoot, name);
    const committed = join(root, 'dist', name);
    const a = listFiles(fresh)
      .map((f) => relative(fresh, f))
      .sort();
    const b = existsSync(committed)
      ? listFiles(committed)
          .map((f) => relative(committed, f))
          .sort()
      : [];
    if (JSON.stringify(a) !== JSON.stringify(b))
      stale.push(`${name}: files differ (fresh: ${a.join(', ')}; committed: ${b.join(', ') || 'none'})`);
    else
      for (const f of a)
        if (!readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f)))) stale.push(`${name}/${f}`);
  }
  rmSync(outRoot, { recursive: true, force: true });
  if (stale.length) {
    console.error(`dist/ is stale: ${stale.join('; ')}\nRun 'npm run build' and commit dist/.`);
    process.exit(1);
  }
  console.log(`dist/ is up to date (${actions.length} bundle${actions.length === 1 ? '' : 's'})`);
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}
