import { runAction } from '@mlflow-actions/action-kit/run';
import { setSecret } from '@mlflow-actions/action-kit/workflow';
import { parseInputs } from '../inputs.js';

// This entry is bundled as CommonJS and holds only input checking: Node's ESM loader alone costs
// more than the whole 1.3x cold-start budget, so a bad input is answered from here, before the
// MLflow client (an ES module bundle in ./main/) is loaded.
type Main = typeof import('../main.js');
// Resolved at run time next to the bundle (dist/mlflow-metadata/main/index.js), not bundled.
const MAIN: string = './main/index.js';

void runAction('mlflow-metadata', async () => {
  const inputs = parseInputs(process.env);
  for (const s of inputs.secrets) setSecret(s);
  const { run } = (await import(/* webpackIgnore: true */ MAIN)) as Main;
  await run(inputs);
});
