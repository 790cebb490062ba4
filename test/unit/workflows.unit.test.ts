import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/run-action.js';

interface Step { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }
interface Workflow { on: unknown; permissions?: unknown; jobs: Record<string, { permissions?: unknown; steps?: Step[]; uses?: string }> }

const dir = join(repoRoot, 'workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

// The safety rules every example workflow (and the root composite action) must keep.
describe.each(files)('workflows-examples/%s', (file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const wf = parse(text) as Workflow;
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps ?? []);

  it('declares least permissions at the top', () => {
    expect(wf.permissions).toBeDefined();
    expect(JSON.stringify(wf.permissions)).not.toMatch(/write-all|"write"/);
  });

  it('never expands ${{ }} inside run: scripts (inputs reach scripts through env:)', () => {
    for (const s of steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
  });

  it('pins third-party actions by full commit SHA', () => {
    for (const s of steps) {
      if (!s.uses || s.uses.startsWith('<owner>/<repo>') || s.uses.startsWith('./')) continue;
      expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });
});

describe('root action.yml (composite)', () => {
  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as { runs: { using: string; steps: Step[] } };
  it('runs sibling bundles through $GITHUB_ACTION_PATH, never `uses: ./`, and keeps ${{ }} out of run:', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) {
      expect(s.uses).toBeUndefined();
      expect(s.run).toMatch(/^node "\$GITHUB_ACTION_PATH\/dist\/[\w-]+\/index\.js"$/);
      expect(s.run).not.toMatch(/\$\{\{/);
    }
  });
});
