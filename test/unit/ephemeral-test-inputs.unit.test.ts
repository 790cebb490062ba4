// ephemeral-test's input check through its bundle (inputs only: nothing is started).
import { expect, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';

const checks = '- path: /admin/reload\n  method: POST\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }';
const inputsOnly = { MLFLOW_ACTIONS_INPUTS_ONLY: 'true' };

it('refuses a header that names an unset variable, instead of sending it empty', async () => {
  const r = await runActionBundle(
    'ephemeral-test',
    { command: 'node server.mjs', checks },
    {
      env: { ...inputsOnly, ADMIN_TOKEN: undefined },
      removeTemp: true,
    },
  );
  expect(r.code).toBe(1);
  expect(r.errors).toEqual([
    "ephemeral-test: input 'checks' names ${ADMIN_TOKEN} in a header, but ADMIN_TOKEN is not set: give it in the step's env",
  ]);
});

it('accepts the same checks once the variable is set, and masks its value first', async () => {
  const r = await runActionBundle(
    'ephemeral-test',
    { command: 'node server.mjs', checks },
    {
      env: { ...inputsOnly, ADMIN_TOKEN: 'admin-token-value' },
      removeTemp: true,
    },
  );
  expect(r.errors).toEqual([]);
  expect(r.code).toBe(0);
  expect(r.masked).toContain('admin-token-value');
});
