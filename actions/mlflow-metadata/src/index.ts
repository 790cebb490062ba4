import { runAction } from '@mlflow-actions/action-kit/run';
import { setSecret } from '@mlflow-actions/action-kit/workflow';
import { parseInputs } from './inputs.js';

// Inputs are checked before anything heavy is loaded: a bad input is answered at the speed of
// Node's start, and the MLflow client, JSON Schema validator and summary code load only for work.
await runAction('mlflow-metadata', async () => {
  const inputs = parseInputs(process.env);
  for (const s of inputs.secrets) setSecret(s);
  const { run } = await import('./main.js');
  await run(inputs);
});
