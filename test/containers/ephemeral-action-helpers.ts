import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { ServiceReport } from '@mlflow-actions/service-runner';
import { runActionBundle, type ActionRun } from '../helpers/run-action.js';
import { dockerEnv } from '../setup/model-image.js';

/** This test process's workflow run: every container the action starts here carries its label. */
export const RUN_ID = `test-${process.pid}`;
export const RUN_LABEL = `mlflow-actions.ephemeral-test.run=${RUN_ID}-1`;

export interface StepRun extends ActionRun {
  report: ServiceReport | undefined;
}

/** Runs the action's main step as the runner does, in `workdir` (the workspace), and reads its report. */
export async function mainStep(
  workdir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  opts: { onSpawn?: (child: ChildProcess) => void; timeoutMs?: number } = {},
): Promise<StepRun> {
  const reportFile = inputs['report-file'] ?? `report-${Math.random().toString(36).slice(2)}.json`;
  const run = await runActionBundle(
    'ephemeral-test',
    { 'report-file': reportFile, ...inputs },
    {
      cwd: workdir,
      env: { ...dockerEnv, ...jobEnv(workdir), ...env },
      removeTemp: true,
      timeoutMs: opts.timeoutMs ?? 150_000,
      ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
    },
  );
  let report: ServiceReport | undefined;
  try {
    report = JSON.parse(readFileSync(join(workdir, reportFile), 'utf8')) as ServiceReport;
  } catch {
    report = undefined;
  }
  return { ...run, report };
}

/** What the runner keeps the same for every step of a job: the run, and RUNNER_TEMP (the pid file is there). */
function jobEnv(workdir: string): Record<string, string> {
  const temp = join(workdir, 'runner-temp');
  mkdirSync(temp, { recursive: true });
  return { GITHUB_RUN_ID: RUN_ID, GITHUB_RUN_ATTEMPT: '1', RUNNER_TEMP: temp };
}

/** The post: step, with the state the main step saved (as the runner gives it, inputs included). */
export function postStep(workdir: string, main: ActionRun, inputs: Record<string, string>): Promise<ActionRun> {
  return runActionBundle('ephemeral-test', inputs, {
    cwd: workdir,
    env: { ...dockerEnv, ...jobEnv(workdir) },
    state: main.state,
    removeTemp: true,
  });
}

/** Names of the containers of this test run that exist (running or not). */
export function containersLeft(label = RUN_LABEL): string[] {
  return execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}', '--filter', `label=${label}`], {
    env: dockerEnv,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

/** PIDs of processes whose command line holds the marker (read-only: nothing is signalled). */
export function processesWith(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

export async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
