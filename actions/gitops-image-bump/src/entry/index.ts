import { runAction } from '@mlflow-actions/action-kit/run';
import { setSecret } from '@mlflow-actions/action-kit/workflow';
import { parseInputs } from '../inputs.js';

// CommonJS entry: inputs are checked here, before git or the YAML editor are loaded (see
// scripts/build.mjs for why the entry is not an ES module).
type Main = typeof import('../main.js');
const MAIN: string = './main/index.js';

void runAction('gitops-image-bump', async () => {
  const inputs = parseInputs(process.env);
  setSecret(inputs.token);
  const { run } = (await import(/* webpackIgnore: true */ MAIN)) as Main;
  await run(inputs);
});
