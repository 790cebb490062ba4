import { runAction } from '@mlflow-actions/action-kit/run';
import { setSecret } from '@mlflow-actions/action-kit/workflow';
import { parseInputs } from '../inputs.js';

// CommonJS entry: inputs are checked before the AWS SDK is loaded (see scripts/build.mjs).
type Main = typeof import('../main.js');
const MAIN: string = './main/index.js';

void runAction('s3-publish', async () => {
  // Credentials come from the SDK's default chain; mask what the environment holds first.
  setSecret(process.env.AWS_SECRET_ACCESS_KEY);
  setSecret(process.env.AWS_SESSION_TOKEN);
  const inputs = parseInputs(process.env);
  const { run } = (await import(/* webpackIgnore: true */ MAIN)) as Main;
  await run(inputs);
});
