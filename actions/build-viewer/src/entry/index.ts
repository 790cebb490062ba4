import { runAction } from '@mlflow-actions/action-kit/run';
import { parseInputs } from '../inputs.js';

// This entry is bundled as CommonJS and holds only input checking, so a bad input is answered at
// the speed of node start; the site builder, the schema validator and the prebuilt app (an ES
// module bundle in ./main/) are loaded only for a real build.
type Main = typeof import('../main.js');
// Resolved at run time next to the bundle (dist/build-viewer/main/index.js), not bundled.
const MAIN: string = './main/index.js';

void runAction('build-viewer', async () => {
  const inputs = parseInputs(process.env);
  const { run } = (await import(/* webpackIgnore: true */ MAIN)) as Main;
  await run(inputs);
});
