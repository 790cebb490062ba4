/**
 * The step's environment as a started process or test command gets it: without the step's inputs
 * (INPUT_*) and the runner's own tokens, which are the action's, not the service's.
 */
export function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith('INPUT_') || k.startsWith('STATE_') || RUNNER_ONLY.has(k)) continue;
    out[k] = v;
  }
  return out;
}

const RUNNER_ONLY = new Set([
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
]);
