import { exec } from '@actions/exec';
import type { Logger } from '@mlflow-actions/action-kit/log';

export interface TestCommandResult {
  command: string;
  exitCode: number;
  passed: boolean;
}

/** Runs the user's own tests against the service (`sh -c`, BASE_URL set); its output is the step's log. */
export async function runTestCommand(
  command: string,
  baseUrl: string,
  opts: { env: Record<string, string | undefined>; cwd: string; logger: Logger },
): Promise<TestCommandResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env.BASE_URL = baseUrl;
  const exitCode = await exec('sh', ['-c', command], { env, cwd: opts.cwd, ignoreReturnCode: true });
  opts.logger.info(`test-command exited with ${exitCode}`);
  return { command, exitCode, passed: exitCode === 0 };
}
