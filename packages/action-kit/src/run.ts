import { isActionError, errorMessage } from './errors.js';
import { setFailed, debug } from './workflow.js';

/**
 * The one top-level catch of every action. A user's mistake (ActionError) becomes one annotation
 * per problem, prefixed with the action's name and without a stack; anything else is a bug: its
 * message is shown and its stack goes to the debug log.
 */
export async function runAction(actionName: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (isActionError(e)) {
      for (const p of e.problems) setFailed(`${actionName}: ${p}`, e.position ?? {});
    } else {
      setFailed(`${actionName} failed unexpectedly: ${errorMessage(e)}`);
      if (e instanceof Error && e.stack) debug(e.stack);
    }
  }
  // The step is over once main settles. A request still in flight (a lookup that ran beside the
  // one that failed, against a server that never answers it) must not hold the job until its
  // timeout: give late writes a moment, then end. Unref'd, so a clean exit is not delayed.
  setTimeout(() => process.exit(), 200).unref();
}
