import { describe, expect, it } from 'vitest';
import { ActionError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { ImageRefError, ImageUpdateError, PromotionError, parseReference } from '@mlflow-actions/image-ref';
import type { WriteBackResult } from '@mlflow-actions/git-writeback';
import { userErrorOf } from '@mlflow-actions/writeback-action/edit-errors';
import { pushedLine, writeBackSummary } from '@mlflow-actions/writeback-action/report';
import { setValues, YamlEditError } from '@mlflow-actions/yaml-edit';

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
}

describe("userErrorOf: which errors of an edit are the user's", () => {
  it("a YAML syntax error is the user's, at its file, line and column", () => {
    const e = userErrorOf(
      refusal(() => setValues('a: 1\nb: [x\n', [{ path: 'a', value: '2' }], { fileName: 'f.yaml' })),
    );
    expect(e).toBeInstanceOf(ActionError);
    const at = (e as ActionError).position;
    expect(at?.file).toBe('f.yaml');
    expect([typeof at?.line, typeof at?.col]).toEqual(['number', 'number']);
    expect((e as ActionError).message).toMatch(/^YAML syntax error in f\.yaml at line \d+/);
  });

  it("a duplicate on the edited path is the user's, at the last occurrence", () => {
    const e = userErrorOf(
      refusal(() => setValues('a: 1\na: 2\n', [{ path: 'a', value: '3' }], { fileName: 'f.yaml' })),
    );
    expect(e).toBeInstanceOf(ActionError);
    expect((e as ActionError).position).toMatchObject({ file: 'f.yaml', line: 2 });
  });

  it("yaml-edit INTERNAL (the editor's own check failed) stays a bug: the same error, not an ActionError", () => {
    const internal = new YamlEditError('INTERNAL', 'setting a would change b; the file was not changed', {
      fileName: 'f.yaml',
    });
    expect(userErrorOf(internal)).toBe(internal);
  });

  it("image-ref refusals are the user's; ImageRefError no longer shadows the built-in ReferenceError", () => {
    const update = userErrorOf(new ImageUpdateError('values.yaml:3: no tag', 'values.yaml', 3, 5));
    expect((update as ActionError).position).toEqual({ file: 'values.yaml', line: 3, col: 5 });
    expect(userErrorOf(new PromotionError('two references'))).toBeInstanceOf(ActionError);
    const ref = refusal(() => parseReference(' nginx'));
    expect(ref).toBeInstanceOf(ImageRefError);
    expect(ref).not.toBeInstanceOf(ReferenceError);
    expect(userErrorOf(ref)).toBeInstanceOf(ActionError);
  });

  it("anything else passes through unchanged (a ServiceError is already the user's; a TypeError is a bug)", () => {
    const service = new ServiceError('denied', 403);
    const bug = new TypeError('x is undefined');
    expect(userErrorOf(service)).toBe(service);
    expect(userErrorOf(bug)).toBe(bug);
  });
});

describe('writeBackSummary: one renderer for both write-back actions', () => {
  const base: WriteBackResult = {
    changed: true,
    baseSha: 'b'.repeat(40),
    attempts: 1,
    diff: '+x\n',
    branch: 'main',
    dryRun: false,
    detail: undefined,
  };
  const view = {
    heading: 'Hiera bump: f in r',
    notes: ['New reference: `x`'],
    table: { head: ['k'], rows: [['`a`']] },
    unchanged: '',
  };

  it('heading, notes, table and what became of the change, in that order', () => {
    const md = writeBackSummary({ ...base, commitSha: 'c'.repeat(40) }, view);
    expect(md).toBe(
      `### Hiera bump: f in r\n\nNew reference: \`x\`\n\n| k |\n| --- |\n| \`a\` |\n\ncommit \`${'c'.repeat(12)}\` on \`main\`\n`,
    );
  });

  it('says unchanged, dry-run or the pull request; the diff is never in the summary or the pushed line', () => {
    expect(writeBackSummary({ ...base, changed: false, diff: '' }, view)).toMatch(/unchanged: no commit\n$/);
    expect(writeBackSummary({ ...base, dryRun: true }, view)).toMatch(/dry-run: nothing pushed\n$/);
    expect(writeBackSummary({ ...base, commitSha: 'c'.repeat(40), pullRequestUrl: 'https://h/pr/1' }, view)).toMatch(
      /pull request https:\/\/h\/pr\/1\n$/,
    );
    expect(writeBackSummary({ ...base, dryRun: true }, view)).not.toContain('+x');
    expect(pushedLine({ ...base, commitSha: 'c'.repeat(40), attempts: 3 })).toBe(
      `pushed ${'c'.repeat(40)} to main after 3 attempts (lost 2 push race(s))`,
    );
  });
});
