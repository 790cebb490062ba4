import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import { mdCode, mdEscape } from '@mlflow-actions/action-kit/markdown';
import { setOutput } from '@mlflow-actions/action-kit/runner';
import type { EditOutcome } from '@mlflow-actions/git-writeback';
import { annotateWarnings } from '@mlflow-actions/writeback-action/edit-errors';
import { reportWriteBack } from '@mlflow-actions/writeback-action/report';
import { runWriteBack } from '@mlflow-actions/writeback-action/run';
import { setValues, type EditResult } from '@mlflow-actions/yaml-edit';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';

/** What one application of the edit did to the file: each key's change, and the file's warnings. */
type HieraEdit = Pick<EditResult, 'changes' | 'warnings'>;

export async function run(inputs: Inputs): Promise<void> {
  // The edit is re-derived from the file each time it runs: after a lost push race it runs again
  // on the new head, so a concurrent change to another key of the same file is kept.
  const edit = (dir: string): Promise<EditOutcome<HieraEdit>> => {
    const path = join(dir, inputs.file);
    if (!existsSync(path))
      throw new ActionError(
        `input 'file': '${inputs.file}' does not exist on branch '${inputs.branch}' of ${inputs.repository}`,
      );
    const { text, changes, warnings } = setValues(
      readFileSync(path, 'utf8'),
      inputs.sets.map((s) => ({ path: [s.key], value: s.value, type: inputs.valueType })),
      { fileName: inputs.file },
    );
    const changed = changes.some((c) => c.changed);
    if (changed) writeFileSync(path, text);
    return Promise.resolve({ changed, files: [inputs.file], detail: { changes, warnings } });
  };

  const first = inputs.sets[0]!;
  const message =
    inputs.commitMessage ??
    (inputs.sets.length === 1
      ? `Set ${first.key} to ${first.value}`
      : `Set ${inputs.sets.map((s) => s.key).join(', ')}`);
  const result = await runWriteBack(inputs, `Update ${inputs.file} in ${inputs.repository} (${inputs.branch})`, {
    message,
    edit,
    changeKey: `${inputs.file} ${inputs.sets.map((s) => s.key).join(' ')}`,
    pullRequestTitle: message,
  });
  const { changes, warnings } = result.detail;
  // Once per run, from the application that was committed: a lost race re-runs the edit.
  annotateWarnings(inputs.file, warnings);

  reportWriteBack(result, {
    heading: `Hiera bump: ${mdEscape(inputs.file)} in ${mdEscape(inputs.repository)}`,
    table: {
      head: ['key', 'before', 'after'],
      rows: inputs.sets.map((s, i) => [
        mdCode(s.key),
        changes[i]?.previous === undefined ? '_(added)_' : mdCode(changes[i].previous),
        mdCode(changes[i]?.next ?? s.value),
      ]),
    },
    unchanged: `${inputs.file} already has ${inputs.sets.map((s) => `${s.key}: ${s.value}`).join(', ')}: nothing to commit`,
  });
  setOutput(
    'previous-value',
    inputs.single
      ? (changes[0]?.previous ?? '')
      : JSON.stringify(Object.fromEntries(inputs.sets.map((s, i) => [s.key, changes[i]?.previous ?? null]))),
  );
}

void defineAction({ name: 'hiera-bump', secrets: secretsOf, parseInputs, run });
