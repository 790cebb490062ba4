import { getState, info } from '@mlflow-actions/action-kit/runner';
import { cleanUp, type CleanupState } from '@mlflow-actions/service-runner';

/** What removes the service (saved before it starts). */
export const CLEANUP_STATE = 'cleanup';
/** Set when keep-on-failure left a failed service running: how to remove it. */
export const KEPT_STATE = 'kept';

/**
 * The post: step: removes the container or ends the process group, whatever happened to the main
 * step (failed, cancelled, killed). Idempotent: what is gone already is no error.
 */
export async function post(): Promise<void> {
  const saved = getState(CLEANUP_STATE);
  if (!saved) {
    info('nothing to clean up: no service was started');
    return;
  }
  const kept = getState(KEPT_STATE);
  if (kept) {
    info(`keep-on-failure: the failed service is left running; remove it with: ${kept}`);
    return;
  }
  const removed = await cleanUp(JSON.parse(saved) as CleanupState);
  info(removed.length ? `removed ${removed.join(', ')}` : 'nothing left to remove: the service was already gone');
}
