// Runs the committed build-viewer bundle on a metadata document and returns where the site went.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ModelMetadata } from '../../packages/model-metadata/src/types.js';
import { runActionBundle, type ActionRun } from '../helpers/run-action.js';
import { tempDir, writeMetadata } from './fixtures.js';

export interface Built {
  dir: string;
  site: string;
  run: ActionRun;
}

export async function buildViewer(
  m: ModelMetadata | string,
  inputs: Record<string, string> = {},
  opts: { previous?: ModelMetadata } = {},
): Promise<Built> {
  const dir = tempDir();
  const file = writeMetadata(m, dir);
  if (opts.previous) writeMetadata(opts.previous, dir, 'previous.json');
  const run = await runActionBundle(
    'build-viewer',
    {
      'metadata-file': file,
      'output-dir': 'site',
      ...(opts.previous ? { 'previous-metadata-file': 'previous.json' } : {}),
      ...inputs,
    },
    { cwd: dir },
  );
  return { dir, site: join(dir, 'site'), run };
}

export function expectSuccess(b: Built): void {
  expect(b.run.errors, b.run.stdout + b.run.stderr).toEqual([]);
  expect(b.run.code).toBe(0);
}
