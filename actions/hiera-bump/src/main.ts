import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import { appendSummary, group, info, printUntrusted, setOutput, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { mdCode, mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import { writeBackOptions, writeBackReport } from '@mlflow-actions/git-writeback/action-inputs';
import { pullRequestsFor } from '@mlflow-actions/github-pulls/lazy';
import { writeBack, type EditOutcome } from '@mlflow-actions/git-writeback';
import { YamlEditError, setValues, type Change } from '@mlflow-actions/yaml-edit';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';

export async function run(inputs: Inputs): Promise<void> {
  let changes: Change[] = [];
  // The edit is re-derived from the file each time it runs: after a lost push race it runs again
  // on the new head, so a concurrent change to another key of the same file is kept.
  const edit = async (dir: string): Promise<EditOutcome> => {
    const path = join(dir, inputs.file);
    if (!existsSync(path))
      throw new ActionError(
        `input 'file': '${inputs.file}' does not exist on branch '${inputs.branch}' of ${inputs.repository}`,
      );
    try {
      const result = setValues(
        readFileSync(path, 'utf8'),
        inputs.sets.map((s) => ({ path: [s.key], value: s.value })),
        { fileName: inputs.file },
      );
      changes = result.changes;
      const changed = changes.some((c) => c.changed);
      if (changed) writeFileSync(path, result.text);
      return { changed, files: [inputs.file] };
    } catch (e) {
      if (e instanceof YamlEditError) {
        throw new ActionError(e.message, { file: inputs.file, line: e.line, col: e.column });
      }
      throw e;
    }
  };

  const first = inputs.sets[0]!;
  const message =
    inputs.commitMessage ??
    (inputs.sets.length === 1
      ? `Set ${first.key} to ${first.value}`
      : `Set ${inputs.sets.map((s) => s.key).join(', ')}`);
  const prClient = await pullRequestsFor(inputs);
  const result = await group(`Update ${inputs.file} in ${inputs.repository} (${inputs.branch})`, () =>
    writeBack(
      {
        ...writeBackOptions(inputs),
        message,
        edit,
        changeKey: `${inputs.file} ${inputs.sets.map((s) => s.key).join(' ')}`,
        pullRequests: prClient,
        pullRequestTitle: message,
      },
      runnerLogger,
    ),
  );

  if (!result.changed)
    info(`${inputs.file} already has ${inputs.sets.map((s) => `${s.key}: ${s.value}`).join(', ')}: nothing to commit`);
  const report = writeBackReport(result);
  // The diff is the target repository's text: printed so the runner cannot read a line of it as a command.
  if (result.changed && result.dryRun) {
    info('dry-run: would commit');
    printUntrusted(result.diff);
  } else if (report.line) info(report.line);
  for (const [name, value] of Object.entries(report.outputs)) setOutput(name, value);

  const previous = inputs.single
    ? (changes[0]?.previous ?? '')
    : JSON.stringify(Object.fromEntries(inputs.sets.map((s, i) => [s.key, changes[i]?.previous ?? null])));
  setOutput('previous-value', previous);

  const rows = inputs.sets.map((s, i) => [
    mdCode(s.key),
    changes[i]?.previous === undefined ? '_(added)_' : mdCode(changes[i]!.previous!),
    mdCode(s.value),
  ]);
  const what = !result.changed
    ? 'unchanged: no commit'
    : result.dryRun
      ? 'dry-run: nothing pushed'
      : result.pullRequestUrl
        ? `pull request ${result.pullRequestUrl}`
        : `commit ${mdCode(result.commitSha?.slice(0, 12) ?? '')} on ${mdCode(result.branch)}`;
  appendSummary(
    `### Hiera bump: ${mdEscape(inputs.file)} in ${mdEscape(inputs.repository)}\n\n${mdTable(['key', 'before', 'after'], rows)}\n${what}\n`,
  );
}

void defineAction({ name: 'hiera-bump', secrets: secretsOf, parseInputs, run });
