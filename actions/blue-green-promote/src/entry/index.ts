import { runAction } from '@mlflow-actions/action-kit/run';
import { setSecret } from '@mlflow-actions/action-kit/workflow';
import { parseInputs, secretsOf } from '../inputs.js';

// CommonJS entry (see scripts/build.mjs): credentials are masked first, then every input is checked, before
// the work bundle is loaded.
type Main = typeof import('../main.js');
const MAIN: string = './main/index.js';

void runAction('blue-green-promote', async () => {
  for (const secret of secretsOf(process.env)) setSecret(secret);
  const inputs = parseInputs(process.env);
  const { run } = (await import(/* webpackIgnore: true */ MAIN)) as Main;
  await run(inputs);
});
