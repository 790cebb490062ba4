import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { parseFileCommand, repoRoot } from '../helpers/run-action.js';

const { plain } = inject('mlflow');

interface Composite {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { steps: Array<{ id: string; shell: string; env: Record<string, string>; run: string }> };
}

/**
 * Runs the root composite action as the runner would for a caller in ANOTHER repository: the
 * working directory is the caller's workspace (not this repository), GITHUB_ACTION_PATH points
 * here, `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` are substituted, and each step's
 * GITHUB_OUTPUT is read back.
 */
describe('root action.yml, run from a caller workspace', () => {
  it('chains its steps and exposes their outputs', () => {
    const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Composite;
    const workspace = mkdtempSync(join(tmpdir(), 'caller-'));
    const given: Record<string, string> = { 'tracking-uri': plain.url, 'model-name': plain.seed.prod_model.name, 'model-alias': 'champion' };
    const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? '']));
    const stepOutputs: Record<string, Record<string, string>> = {};
    const expand = (s: string) =>
      s
        .replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, k: string) => inputs[k] ?? '')
        .replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_, id: string, k: string) => stepOutputs[id]?.[k] ?? '');
    for (const step of action.runs.steps) {
      const out = join(workspace, `.out-${step.id}`);
      writeFileSync(out, '');
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_ACTION_PATH: repoRoot, GITHUB_OUTPUT: out };
      for (const [k, v] of Object.entries(step.env)) env[k] = expand(v);
      const r = spawnSync(step.shell, ['-e', '-c', step.run], { cwd: workspace, env, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      stepOutputs[step.id] = parseFileCommand(readFileSync(out, 'utf8'));
    }
    const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expand(v.value)]));
    expect(outputs['model-version']).toBe(plain.seed.prod_model.aliases.champion);
    expect(outputs['metadata-file']).toBe(join(workspace, 'model_metadata.json'));
    const meta = JSON.parse(readFileSync(outputs['metadata-file']!, 'utf8'));
    expect(Object.keys(meta.metric_history).length).toBeGreaterThan(0); // the composite's default: all
  });
});
