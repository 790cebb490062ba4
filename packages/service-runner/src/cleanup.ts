import { removeContainer } from './container.js';
import { killProcessGroup } from './local-process.js';
import type { CleanupState } from './service.js';

/** What the post: step runs with the state the main step saved: remove the container / end the tree. */
export async function cleanUp(state: CleanupState): Promise<void> {
  if (state.kind === 'container') await removeContainer(state.name);
  else await killProcessGroup(state.pgid);
}
