import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as core from '@actions/core';
import * as lite from '../../packages/action-kit/src/workflow.js';
import { parseFileCommand } from '../helpers/run-action.js';

// The kit writes the runner's protocol itself (to keep @actions/core's OIDC client out of the
// cold path); these tests hold it to what @actions/core writes for the same calls.
describe('workflow commands match @actions/core', () => {
  let dir: string;
  let stdout: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-'));
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STEP_SUMMARY;
    process.exitCode = 0;
  });

  const values: Array<[string, string]> = [
    ['simple', 'v'],
    ['multi', 'line 1\nline 2\r\nline 3'],
    ['json', '["champion","a%b"]'],
    ['empty', ''],
    ['unicode', 'Modèle de prévision – ventes été'],
  ];

  it('setOutput writes files that parse to the same outputs', () => {
    const mine = join(dir, 'mine');
    const theirs = join(dir, 'theirs');
    writeFileSync(mine, '');
    writeFileSync(theirs, '');
    for (const [k, v] of values) {
      process.env.GITHUB_OUTPUT = mine;
      lite.setOutput(k, v);
      process.env.GITHUB_OUTPUT = theirs;
      core.setOutput(k, v);
    }
    const a = parseFileCommand(readFileSync(mine, 'utf8'));
    expect(a).toEqual(parseFileCommand(readFileSync(theirs, 'utf8')));
    expect(a.multi).toBe('line 1\nline 2\r\nline 3'.replace(/\r\n/g, '\n'));
  });

  it('annotations, masks and groups are byte-identical on stdout', () => {
    const calls: Array<(m: typeof lite | typeof core) => void> = [
      (m) => m.setFailed('bad %input%\nsecond line'),
      (m) => m.warning('careful: 100%'),
      (m) => m.debug('d\r\ne'),
      (m) => m.setSecret('s3cr3t'),
      (m) => m.startGroup('Phase 1'),
      (m) => m.endGroup(),
      (m) => m.info('plain line'),
    ];
    for (const call of calls) {
      stdout = [];
      call(lite);
      const mine = stdout.join('');
      stdout = [];
      call(core);
      expect(mine).toBe(stdout.join(''));
    }
    expect(process.exitCode).toBe(1);
  });
});
