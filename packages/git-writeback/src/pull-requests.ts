import type { Logger } from '@mlflow-actions/action-kit/log';

export interface PullRequestRef {
  number: number;
  url: string;
}

export interface PullRequestContent {
  title: string;
  body: string;
}

/**
 * The forge side of pull-request mode, injected so this package needs no GitHub client. `head` and
 * `base` are branch names in the same repository. The GitHub REST implementation lives with the actions.
 */
export interface PullRequests {
  /** The open pull request from `head` into `base`, if any. */
  findOpen(head: string, base: string): Promise<PullRequestRef | undefined>;
  create(pr: { head: string; base: string } & PullRequestContent): Promise<PullRequestRef>;
  update(number: number, pr: PullRequestContent): Promise<PullRequestRef>;
}

/**
 * Reuses the open PR for this branch when there is one, so re-runs of the same logical change update
 * one PR instead of opening another. Two runs may both see none and both create: the forge refuses
 * the second (GitHub answers 422), so a failed create looks again before giving up.
 */
export async function openOrUpdatePullRequest(
  client: PullRequests,
  head: string,
  base: string,
  content: PullRequestContent,
  logger: Logger,
): Promise<PullRequestRef & { created: boolean }> {
  const existing = await client.findOpen(head, base);
  if (existing) {
    const updated = await client.update(existing.number, content);
    logger.info(`updated pull request #${updated.number}: ${updated.url}`);
    return { ...updated, created: false };
  }
  try {
    const created = await client.create({ head, base, ...content });
    logger.info(`opened pull request #${created.number}: ${created.url}`);
    return { ...created, created: true };
  } catch (e) {
    const raced = await client.findOpen(head, base).catch(() => undefined);
    if (!raced) throw e;
    const updated = await client.update(raced.number, content);
    logger.info(`updated pull request #${updated.number} (opened concurrently): ${updated.url}`);
    return { ...updated, created: false };
  }
}
