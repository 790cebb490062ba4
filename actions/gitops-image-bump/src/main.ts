import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import { mdCode, mdEscape } from '@mlflow-actions/action-kit/markdown';
import { info, setOutput, warning } from '@mlflow-actions/action-kit/runner';
import type { EditContext, EditOutcome, TreeReader } from '@mlflow-actions/git-writeback';
import {
  bumpScan,
  formatReference,
  nothingFoundMessage,
  promotionOf,
  scanTree,
  type Promotion,
  type TreeBump,
} from '@mlflow-actions/image-ref';
import { annotateWarnings } from '@mlflow-actions/writeback-action/edit-errors';
import { reportWriteBack } from '@mlflow-actions/writeback-action/report';
import { runWriteBack } from '@mlflow-actions/writeback-action/run';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';
import { digestFormNotes } from './summary.js';

/** What one application of the edit found and did: the promotion read (if any) and every file's bump. */
interface ImageEdit {
  promotion: Promotion | undefined;
  bump: TreeBump;
}

export async function run(inputs: Inputs): Promise<void> {
  const scanOptions = { format: inputs.format, helmKeys: inputs.helmKeys };
  const source = inputs.promoteFromBranch;
  // The source branch is fetched at one commit for the whole run, so it is read once.
  let promotionRead: Promise<Promotion> | undefined;
  const readPromotionOnce = (tree: TreeReader, from: string) => (promotionRead ??= readPromotion(inputs, tree, from));

  // Re-derived from the files each time it runs: after a lost push race it runs again on the new
  // head, so a concurrent change to the same files is kept.
  const edit = async (dir: string, ctx: EditContext): Promise<EditOutcome<ImageEdit>> => {
    const promotion = source === undefined ? undefined : await readPromotionOnce(ctx.source!, source);
    const target = {
      image: inputs.image,
      tag: promotion ? promotion.tag : inputs.tag,
      digest: promotion ? promotion.digest : inputs.digest,
    };
    const scan = await scanTree(ctx.target, inputs.files, inputs.image, scanOptions);
    for (const s of scan.skipped) info(`skipped ${s.file}: ${s.reason}`);
    if (scan.withReferences.length === 0)
      throw new ActionError(nothingFoundMessage(scan, inputs.files, inputs.image, `on branch ${inputs.branch}`));
    const bump = bumpScan(scan, target, scanOptions);
    const changedFiles = bump.files.filter((f) => f.changes.some((c) => c.changed));
    // Every file is computed before any is written: a refusal in the last file leaves all untouched.
    for (const f of changedFiles) writeFileSync(join(dir, f.file), f.text);
    const message =
      promotion && inputs.commitMessage === undefined
        ? `Promote ${formatReference({ name: inputs.image, tag: target.tag, digest: target.digest })} from ${source} to ${inputs.branch}`
        : undefined;
    return {
      changed: changedFiles.length > 0,
      files: changedFiles.map((f) => f.file),
      detail: { promotion, bump },
      ...(message ? { message } : {}),
    };
  };

  const newRef = formatReference({ name: inputs.image, tag: inputs.tag, digest: inputs.digest });
  const result = await runWriteBack(inputs, `Update ${inputs.image} in ${inputs.repository} (${inputs.branch})`, {
    sourceBranch: source,
    // The message names the reference; with promotion it is known only once the source is read.
    message:
      inputs.commitMessage ??
      (source ? `Promote ${inputs.image} from ${source} to ${inputs.branch}` : `Deploy ${newRef} to ${inputs.branch}`),
    edit,
    changeKey: `${inputs.image} ${inputs.files.join(' ')}`,
  });

  const { promotion, bump } = result.detail;
  const written = promotion
    ? formatReference({ name: inputs.image, tag: promotion.tag, digest: promotion.digest })
    : newRef;
  const changes = bump.files.flatMap((f) => f.changes.map((c) => ({ file: f.file, ...c })));
  // Once per run, from the application that was committed: a lost race re-runs the edit.
  for (const f of bump.files) annotateWarnings(f.file, f.warnings);
  const notes = digestFormNotes(changes.filter((c) => c.changed));
  for (const n of notes) info(n.text);

  reportWriteBack(result, {
    heading: `Image bump: ${mdEscape(inputs.image)} in ${mdEscape(inputs.repository)} (${mdEscape(inputs.branch)})`,
    notes: [
      `New reference: ${mdCode(written)}${promotion ? ` (promoted from ${mdCode(source ?? '')})` : ''}`,
      ...notes.map((n) => n.markdown),
    ],
    table: {
      head: ['file', 'where', 'before', 'after'],
      rows: changes.map((c) => [
        mdCode(`${c.file}:${c.line}`),
        mdCode(c.where),
        mdCode(c.before),
        c.changed ? mdCode(c.after) : '_(unchanged)_',
      ]),
    },
    unchanged: `every reference to ${inputs.image} on ${inputs.branch} is already ${written}: nothing to commit`,
  });
  setOutput('previous-ref', [...new Set(changes.map((c) => c.before))].join('\n'));
  setOutput('new-ref', written);
  const filesChanged = bump.files.filter((f) => f.changes.some((c) => c.changed)).map((f) => f.file);
  setOutput('files-changed', JSON.stringify(result.changed ? filesChanged : []));
}

/** The one reference the source branch runs, said in the log (with a warning when it is a tag only). */
async function readPromotion(inputs: Inputs, tree: TreeReader, from: string): Promise<Promotion> {
  const scanOptions = { format: inputs.format, helmKeys: inputs.helmKeys };
  const scan = await scanTree(tree, inputs.files, inputs.image, scanOptions);
  if (scan.withReferences.length === 0)
    throw new ActionError(nothingFoundMessage(scan, inputs.files, inputs.image, `on branch ${from}`));
  const promotion = promotionOf(scan, inputs.image, from);
  info(`${from}@${tree.sha.slice(0, 7)} runs ${promotion.ref} (${promotion.places.join(', ')})`);
  if (promotion.digest === undefined) {
    warning(
      `${from} pins ${inputs.image} by tag only (${
        promotion.ref
      }); a tag can be moved, so pin a digest there to promote exactly the image that was tested`,
    );
  }
  return promotion;
}

void defineAction({ name: 'gitops-image-bump', secrets: secretsOf, parseInputs, run });
