import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import {
  appendSummary,
  group,
  info,
  printUntrusted,
  setOutput,
  warning,
  runnerLogger,
} from '@mlflow-actions/action-kit/runner';
import { mdCode, mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import { writeBackOptions, writeBackReport } from '@mlflow-actions/git-writeback/action-inputs';
import { pullRequestsFor } from '@mlflow-actions/github-pulls/lazy';
import { writeBack, type EditContext, type EditOutcome } from '@mlflow-actions/git-writeback';
import {
  bumpScan,
  formatReference,
  ImageUpdateError,
  nothingFoundMessage,
  promotionOf,
  PromotionError,
  scanTree,
  type Promotion,
  type TreeBump,
} from '@mlflow-actions/image-ref';
import { YamlEditError } from '@mlflow-actions/yaml-edit';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';

/** Errors that point into a file become annotations on that file and line. */
function asActionError(e: unknown): unknown {
  if (e instanceof YamlEditError)
    return new ActionError(e.message, { file: e.fileName ?? '', line: e.line, col: e.column });
  if (e instanceof ImageUpdateError)
    return new ActionError(e.message, { file: e.fileName, line: e.line, col: e.column });
  if (e instanceof PromotionError) return new ActionError(e.message);
  return e;
}

export async function run(inputs: Inputs): Promise<void> {
  const scanOptions = { format: inputs.format, helmKeys: inputs.helmKeys };
  let promotion: Promotion | undefined;
  let bump: TreeBump | undefined;

  // Re-derived from the files each time it runs: after a lost push race it runs again on the new
  // head, so a concurrent change to the same files is kept. The source branch stays at one commit.
  const edit = async (dir: string, ctx: EditContext): Promise<EditOutcome> => {
    try {
      if (inputs.promoteFromBranch !== undefined && promotion === undefined) {
        const source = await scanTree(ctx.source!, inputs.files, inputs.image, scanOptions);
        if (source.withReferences.length === 0) {
          throw new ActionError(
            nothingFoundMessage(source, inputs.files, inputs.image, `on branch ${inputs.promoteFromBranch}`),
          );
        }
        promotion = promotionOf(source, inputs.image, inputs.promoteFromBranch);
        info(
          `${inputs.promoteFromBranch}@${ctx.source!.sha.slice(0, 7)} runs ${promotion.ref} (${promotion.places.join(', ')})`,
        );
        if (promotion.digest === undefined) {
          warning(
            `${inputs.promoteFromBranch} pins ${inputs.image} by tag only (${promotion.ref}); a tag can be moved, so pin a digest there to promote exactly the image that was tested`,
          );
        }
      }
      const target = {
        image: inputs.image,
        tag: promotion ? promotion.tag : inputs.tag,
        digest: promotion ? promotion.digest : inputs.digest,
      };
      const scan = await scanTree(ctx.target, inputs.files, inputs.image, scanOptions);
      for (const s of scan.skipped) info(`skipped ${s.file}: ${s.reason}`);
      if (scan.withReferences.length === 0)
        throw new ActionError(nothingFoundMessage(scan, inputs.files, inputs.image, `on branch ${inputs.branch}`));
      bump = bumpScan(scan, target, scanOptions);
      const changedFiles = bump.files.filter((f) => f.changes.some((c) => c.changed));
      // Every file is computed before any is written: a refusal in the last file leaves all untouched.
      for (const f of changedFiles) writeFileSync(join(dir, f.file), f.text);
      const message =
        promotion && inputs.commitMessage === undefined
          ? `Promote ${formatReference({ name: inputs.image, tag: target.tag, digest: target.digest })} from ${inputs.promoteFromBranch} to ${inputs.branch}`
          : undefined;
      return {
        changed: changedFiles.length > 0,
        files: changedFiles.map((f) => f.file),
        ...(message ? { message } : {}),
      };
    } catch (e) {
      throw asActionError(e);
    }
  };

  const newRef = formatReference({ name: inputs.image, tag: inputs.tag, digest: inputs.digest });
  const prClient = await pullRequestsFor(inputs);
  const result = await group(`Update ${inputs.image} in ${inputs.repository} (${inputs.branch})`, () =>
    writeBack(
      {
        ...writeBackOptions(inputs),
        sourceBranch: inputs.promoteFromBranch,
        // The message names the reference; with promotion it is known only once the source is read.
        message:
          inputs.commitMessage ??
          (inputs.promoteFromBranch
            ? `Promote ${inputs.image} from ${inputs.promoteFromBranch} to ${inputs.branch}`
            : `Deploy ${newRef} to ${inputs.branch}`),
        edit,
        changeKey: `${inputs.image} ${inputs.files.join(' ')}`,
        pullRequests: prClient,
      },
      runnerLogger,
    ),
  );

  const files = bump?.files ?? [];
  const written = promotion
    ? formatReference({ name: inputs.image, tag: promotion.tag, digest: promotion.digest })
    : newRef;
  const changes = files.flatMap((f) => f.changes.map((c) => ({ file: f.file, ...c })));
  const previous = [...new Set(changes.map((c) => c.before))];
  const filesChanged = files.filter((f) => f.changes.some((c) => c.changed)).map((f) => f.file);

  if (!result.changed)
    info(`every reference to ${inputs.image} on ${inputs.branch} is already ${written}: nothing to commit`);
  const report = writeBackReport(result);
  // The diff is the target repository's text: printed so the runner cannot read a line of it as a command.
  if (result.changed && result.dryRun) {
    info('dry-run: would commit');
    printUntrusted(result.diff);
  } else if (report.line) info(report.line);
  for (const [name, value] of Object.entries(report.outputs)) setOutput(name, value);

  setOutput('previous-ref', previous.join('\n'));
  setOutput('new-ref', written);
  setOutput('files-changed', JSON.stringify(result.changed ? filesChanged : []));

  const rows = changes.map((c) => [
    mdCode(`${c.file}:${c.line}`),
    mdCode(c.where),
    mdCode(c.before),
    c.changed ? mdCode(c.after) : '_(unchanged)_',
  ]);
  const what = !result.changed
    ? 'unchanged: no commit'
    : result.dryRun
      ? 'dry-run: nothing pushed'
      : result.pullRequestUrl
        ? `pull request ${result.pullRequestUrl}`
        : `commit ${mdCode(result.commitSha?.slice(0, 12) ?? '')} on ${mdCode(result.branch)}`;
  const from = promotion ? ` (promoted from ${mdCode(inputs.promoteFromBranch!)})` : '';
  appendSummary(
    `### Image bump: ${mdEscape(inputs.image)} in ${mdEscape(inputs.repository)} (${mdEscape(inputs.branch)})\n\n` +
      `New reference: ${mdCode(written)}${from}\n\n${mdTable(['file', 'where', 'before', 'after'], rows)}\n${what}\n`,
  );
}

void defineAction({ name: 'gitops-image-bump', secrets: secretsOf, parseInputs, run });
