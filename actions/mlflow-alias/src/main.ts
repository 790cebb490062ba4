import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { parseInputs, secretsOf } from './inputs.js';
import { run } from './run.js';

void defineAction({ name: 'mlflow-alias', secrets: secretsOf, parseInputs, run });
