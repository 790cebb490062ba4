import { mdCode, mdTable } from '@mlflow-actions/action-kit/markdown';
import { appendSummary, info, printUntrusted, setOutput } from '@mlflow-actions/action-kit/runner';
import type { WriteBackResult } from '@mlflow-actions/git-writeback';

/** What one write-back action says about its change; the rest of the report is the same for all. */
export interface WriteBackView {
  /** The summary's heading, as Markdown (escape what came from inputs). */
  heading: string;
  /** Markdown paragraphs between the heading and the table. */
  notes?: string[];
  table: { head: string[]; rows: string[][] };
  /** The log line when nothing changed (the branch already has it). */
  unchanged: string;
}

/** The step summary: heading, notes, the table of changes, and what became of them. */
export function writeBackSummary(result: WriteBackResult, view: WriteBackView): string {
  const outcome = !result.changed
    ? 'unchanged: no commit'
    : result.dryRun
      ? 'dry-run: nothing pushed'
      : result.pullRequestUrl
        ? `pull request ${result.pullRequestUrl}`
        : `commit ${mdCode(result.commitSha?.slice(0, 12) ?? '')} on ${mdCode(result.branch)}`;
  const notes = (view.notes ?? []).map((n) => `${n}\n\n`).join('');
  return `### ${view.heading}\n\n${notes}${mdTable(view.table.head, view.table.rows)}\n${outcome}\n`;
}

/** The log line of a change that was pushed. */
export function pushedLine(result: WriteBackResult): string {
  const races =
    result.attempts > 1 ? ` after ${result.attempts} attempts (lost ${result.attempts - 1} push race(s))` : '';
  const pr = result.pullRequestUrl ? `; pull request ${result.pullRequestUrl}` : '';
  return `pushed ${result.commitSha ?? ''} to ${result.branch}${races}${pr}`;
}

/**
 * Says what became of the write-back, the same way for every action: one log line (in dry-run,
 * the diff; it is the target repository's text, so it is printed such that the runner reads no
 * line of it as a command), the outputs changed / commit-sha / pull-request-url, and the summary.
 */
export function reportWriteBack(result: WriteBackResult, view: WriteBackView): void {
  if (!result.changed) info(view.unchanged);
  else if (result.dryRun) {
    info('dry-run: would commit');
    printUntrusted(result.diff);
  } else info(pushedLine(result));
  setOutput('changed', String(result.changed));
  setOutput('commit-sha', result.commitSha ?? '');
  setOutput('pull-request-url', result.pullRequestUrl ?? '');
  appendSummary(writeBackSummary(result, view));
}
