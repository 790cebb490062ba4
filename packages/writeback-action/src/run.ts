import { group, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { writeBack, type WriteBackOptions, type WriteBackResult } from '@mlflow-actions/git-writeback';
import { pullRequestsFor } from '@mlflow-actions/github-pulls/lazy';
import { userErrorOf } from './edit-errors.js';
import { writeBackOptions, type WriteBackInputs } from './inputs.js';

/** What the action itself decides: its edit, the commit message, and how its change is named. */
export type WriteBackChange<D> = Pick<
  WriteBackOptions<D>,
  'edit' | 'message' | 'changeKey' | 'sourceBranch' | 'pullRequestTitle'
>;

/**
 * Runs the write-back in a log group titled `title`, with the pull-request client when the mode
 * needs one. The edit's refusals leave as the user's errors (userErrorOf); its typed `detail` comes
 * back in the result, from the application that was committed.
 */
export async function runWriteBack<D>(
  inputs: WriteBackInputs,
  title: string,
  change: WriteBackChange<D>,
): Promise<WriteBackResult<D>> {
  const pullRequests = await pullRequestsFor(inputs);
  try {
    return await group(title, () =>
      writeBack<D>({ ...writeBackOptions(inputs), ...change, pullRequests }, runnerLogger),
    );
  } catch (e) {
    throw userErrorOf(e);
  }
}
