import { getExecOutput } from '@actions/exec';
import { ActionError } from '@mlflow-actions/action-kit/errors';

export interface DockerOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI quietly (its output is the caller's to judge); a missing CLI is one clear line. */
export async function docker(args: string[], opts: { env?: Record<string, string> } = {}): Promise<DockerOutput> {
  try {
    const r = await getExecOutput('docker', args, {
      silent: true,
      ignoreReturnCode: true,
      ...(opts.env ? { env: opts.env } : {}),
    });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    if (/Unable to locate executable file|ENOENT/.test((e as Error).message)) {
      throw new ActionError(
        'image: the docker CLI is not on this runner (install Docker, or use "command" to test a local process)',
      );
    }
    throw e;
  }
}

/** The last line of docker's error output, without its "Error response from daemon:" prefix. */
export function dockerError(r: DockerOutput): string {
  const line = r.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${r.code}`;
  return line.replace(/^Error( response from daemon)?:\s*/i, '');
}
