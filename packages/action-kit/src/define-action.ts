import { ActionError, errorMessage } from './errors.js';
import type { Env } from './inputs.js';
import { debug, getState, saveState, setFailed, setSecret, writeSummary } from './runner.js';

/**
 * The one shape of every action: `actions/<name>/src/main.ts` is
 *
 *     export default defineAction({ name, secrets, parseInputs, run, post });
 *
 * and nothing else decides how an action starts, masks, fails or ends.
 */
export interface ActionDefinition<Inputs> {
  /** Prefixes every error annotation: `<name>: …`. */
  name: string;
  /**
   * Every credential the step may hold, read raw from the environment and the inputs. They are
   * masked before any other input is parsed, so not even an input error can print one.
   */
  secrets?: (env: Env) => (string | undefined)[];
  /** Reads and checks every input, reporting all problems at once (an InputError). */
  parseInputs: (env: Env) => Inputs;
  run: (inputs: Inputs) => Promise<void>;
  /** The `post:` step (action.yml points it at the same bundle); it reads what `run` saved. */
  post?: () => Promise<void>;
}

/** Set by the root composite to check a step's inputs before any step does work. */
const INPUTS_ONLY = 'MLFLOW_ACTIONS_INPUTS_ONLY';
/** The runner gives the post step the state the main step saved; this key tells them apart. */
const IS_POST = 'isPost';

export async function defineAction<Inputs>(def: ActionDefinition<Inputs>, env: Env = process.env): Promise<void> {
  const isPost = def.post !== undefined && getState(IS_POST) === 'true';
  try {
    for (const secret of def.secrets?.(env) ?? []) setSecret(secret);
    if (isPost) {
      await def.post!();
    } else {
      // Saved before the inputs are parsed: the runner runs `post:` after a failed main step too,
      // and a post step that took itself for the main one would report every input error again.
      if (def.post && env[INPUTS_ONLY] !== 'true') saveState(IS_POST, 'true');
      const inputs = def.parseInputs(env);
      if (env[INPUTS_ONLY] !== 'true') await def.run(inputs);
    }
  } catch (e) {
    report(def.name, e);
  }
  try {
    await writeSummary();
  } catch (e) {
    report(def.name, e);
  }
  // The step is over once run settles. A request still in flight (a lookup that ran beside the
  // one that failed, against a server that never answers it) must not hold the job until its
  // timeout: give late writes a moment, then end. Unref'd, so a clean exit is not delayed.
  setTimeout(() => process.exit(), 200).unref();
}

/**
 * A user's mistake (ActionError) is one annotation per problem, without a stack; anything else
 * is a bug in this project: its message, and its stack in the debug log.
 */
function report(name: string, e: unknown): void {
  if (e instanceof ActionError) {
    for (const problem of e.problems) setFailed(`${name}: ${problem}`, e.position ?? {});
  } else {
    setFailed(`${name} failed unexpectedly: ${errorMessage(e)} (please report this)`);
    if (e instanceof Error && e.stack) debug(e.stack);
  }
}
