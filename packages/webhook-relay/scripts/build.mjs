#!/usr/bin/env node
// Bundles the relay's CLI into one ES module, dist/cli.js, with ncc: the package then has no
// runtime dependency (action-kit's retrying HTTP client is inlined), so `npx` installs one file.
// Not minified: a relay runs for months, and a readable stack is worth the few kilobytes.
// With --check, builds into a temporary directory and fails when the committed file is stale.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(new URL('..', import.meta.url).pathname);
const root = resolve(pkg, '..', '..');
const check = process.argv.includes('--check');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const out = mkdtempSync(join(tmpdir(), 'webhook-relay-build-'));
try {
  execFileSync(
    process.execPath,
    [ncc, 'build', join(pkg, 'src', 'cli.ts'), '-o', out, '--quiet', '--target', 'es2023'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const fresh = readFileSync(join(out, 'index.js'));
  const committed = join(pkg, 'dist', 'cli.js');
  if (check) {
    if (!existsSync(committed) || !readFileSync(committed).equals(fresh)) {
      console.error(
        "packages/webhook-relay/dist/cli.js is stale: run 'node packages/webhook-relay/scripts/build.mjs' and commit it",
      );
      process.exit(1);
    }
  } else {
    writeFileSync(committed, fresh);
    chmodSync(committed, 0o755);
    console.log(`built packages/webhook-relay/dist/cli.js (${(fresh.length / 1024).toFixed(0)} KiB)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
