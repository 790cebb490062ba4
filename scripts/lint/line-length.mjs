// Fails when a tracked, hand-written text file has a line over MAX characters (issue 10).
// Usage: node scripts/lint/line-length.mjs   (run by `npm run lint`)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

const root = join(import.meta.dirname, '..', '..');

const MAX = 140;

// Files nobody writes by hand, or that must stay byte-identical.
const EXEMPT = {
  'dist/**': 'bundles built by scripts/build.mjs',
  'package-lock.json': 'written by npm',
  'packages/*/src/generated/**': 'generated code (scripts/gen-validator.mjs, the viewer build)',
  'packages/webhook-relay/dist/**': 'bundle built from packages/webhook-relay/src',
  'actions/*/README.md': 'generated from action.yml by scripts/gen-action-docs.mjs',
  'bench/RESULTS.md': 'written by the benches',
  'patches/**': 'patch-package output',
  'test/fixtures/**': 'recorded upstream data and corpora, kept byte-identical',
};

const isExempt = picomatch(Object.keys(EXEMPT), { dot: true });
const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  .split('\0')
  .filter((file) => file !== '' && !isExempt(file));

let offenders = 0;
for (const file of files) {
  let bytes;
  try {
    bytes = readFileSync(join(root, file));
  } catch {
    continue; // tracked but deleted in the work tree
  }
  if (bytes.subarray(0, 8000).includes(0)) continue; // binary
  bytes
    .toString('utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const length = [...line].length; // characters, not UTF-16 units
      if (length > MAX) {
        offenders += 1;
        console.log(`${file}:${index + 1}: ${length} characters (max ${MAX})`);
      }
    });
}

if (offenders > 0) {
  console.log(
    `${offenders} line(s) over ${MAX} characters; wrap them, or exempt a generated file in scripts/lint/line-length.mjs`,
  );
  process.exit(1);
}
