import { removeContainersByLabel } from './container.js';
import { killProcessGroupOf } from './local-process.js';
import type { CleanupState } from './service.js';

/**
 * What the post: step runs with the state the main step saved: remove the containers / end the
 * process group. Idempotent: what is already gone is no error. Returns what it removed.
 */
export async function cleanUp(state: CleanupState): Promise<string[]> {
  if (state.kind === 'container') return removeContainersByLabel(state.label);
  const pgid = await killProcessGroupOf(state.pidFile);
  return pgid === undefined ? [] : [`process group ${pgid}`];
}
