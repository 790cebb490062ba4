import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defineAction } from '@mlflow-actions/action-kit/define-action';
import { writeFileAtomically } from '@mlflow-actions/action-kit/files';
import { ActionError } from '@mlflow-actions/action-kit/errors';
import {
  appendSummary,
  group,
  info,
  printUntrusted,
  runnerLogger,
  saveState,
  setOutput,
  untrustedLine,
  warning,
  withCommandsStopped,
} from '@mlflow-actions/action-kit/runner';
import { handOverArtifact, handOverSummaryLine } from '@mlflow-actions/artifact-handover';
import { childEnv, testService, type ServiceReport, type ServiceTarget } from '@mlflow-actions/service-runner';
import { parseInputs, secretsOf, type Inputs } from './inputs.js';
import { post, CLEANUP_STATE, KEPT_STATE } from './post.js';
import { renderSummary } from './summary.js';

/** Every container carries `<key>=<unique id of this step>`; the post step removes by it. */
const STEP_LABEL = 'mlflow-actions.ephemeral-test';
/** And `<key>=<run id>-<attempt>`, so a person finds all containers of a workflow run. */
const RUN_LABEL = 'mlflow-actions.ephemeral-test.run';

export async function run(inputs: Inputs): Promise<void> {
  const temp = process.env.RUNNER_TEMP?.trim() ? process.env.RUNNER_TEMP : tmpdir();
  const stepId = randomUUID();
  const target = targetOf(inputs, stepId, temp);
  const { report, logs } = await testService({
    target,
    healthPath: inputs.healthPath,
    ...(inputs.healthExpectJson ? { healthExpectJson: inputs.healthExpectJson } : {}),
    readyTimeoutMs: inputs.readyTimeoutMs,
    checks: inputs.checks,
    ...(inputs.expectedVersion ? { expectedVersion: inputs.expectedVersion } : {}),
    ...(inputs.testCommand ? { testCommand: inputs.testCommand } : {}),
    ...(inputs.load ? { load: inputs.load } : {}),
    keepOnFailure: inputs.keepOnFailure,
    env: childEnv(process.env),
    cwd: inputs.workspace,
    logger: runnerLogger,
    // Saved before the service starts: a cancelled job's post step still finds it.
    onCleanupState: (state) => {
      saveState(CLEANUP_STATE, JSON.stringify(state));
    },
    phase: group,
    untrustedOutput: withCommandsStopped,
  });
  if (report.kept) saveState(KEPT_STATE, report.kept.remove_with);

  writeFileAtomically(inputs.reportFile, `${JSON.stringify(report, null, 2)}\n`, 'report-file');
  setOutputs(report, inputs.reportFile);
  if (report.log_tail) {
    info(`The service's last log lines (${target.kind === 'container' ? 'docker logs' : 'its output'}):`);
    printUntrusted(report.log_tail);
  }
  if (report.kept) {
    warning(
      `keep-on-failure: the failed service is left running at ${report.target.base_url}; remove it with: ${report.kept.remove_with}`,
    );
  }
  appendSummary(renderSummary(report, inputs.reportFile));
  if (inputs.artifactName) await uploadArtifact(inputs.artifactName, inputs.reportFile, logs, temp);
  info(`result: ${report.result} (report: ${inputs.reportFile})`);
  // Failure lines quote what the service said: one line each, never a runner command.
  if (report.result === 'failed') throw new ActionError(report.failures.map(untrustedLine));
}

function targetOf(inputs: Inputs, stepId: string, temp: string): ServiceTarget {
  const t = inputs.target;
  if (t.kind === 'container') {
    const runId = process.env.GITHUB_RUN_ID;
    return {
      kind: 'container',
      options: {
        image: t.image,
        port: t.port,
        env: inputs.env,
        volumes: inputs.volumes,
        addHosts: inputs.addHosts,
        ...(inputs.network ? { network: inputs.network } : {}),
        label: `${STEP_LABEL}=${stepId}`,
        extraLabels: runId ? [`${RUN_LABEL}=${runId}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`] : [],
        cwd: inputs.workspace,
      },
    };
  }
  return {
    kind: 'process',
    options: {
      command: t.command,
      ...(t.port !== undefined ? { port: t.port } : {}),
      env: childEnv(process.env),
      cwd: inputs.workspace,
      logDir: temp,
      pidFile: join(temp, `ephemeral-test-${stepId}.pid`),
    },
  };
}

function setOutputs(report: ServiceReport, reportFile: string): void {
  setOutput('result', report.result);
  setOutput('base-url', report.target.base_url ?? '');
  setOutput('report-file', reportFile);
  if (report.load) {
    setOutput('rps', String(report.load.rps));
    setOutput('p50-ms', String(report.load.latencyMs.p50));
    setOutput('p95-ms', String(report.load.latencyMs.p95));
    setOutput('p99-ms', String(report.load.latencyMs.p99));
    setOutput('error-rate', String(report.load.errorRate));
  }
}

/** The report and the service's log, as one artifact; a failed upload is a warning (handOverArtifact's). */
async function uploadArtifact(name: string, reportFile: string, logs: string, temp: string): Promise<void> {
  const dir = mkdtempSync(join(temp, 'ephemeral-test-artifact-'));
  try {
    copyFileSync(reportFile, join(dir, basename(reportFile)));
    writeFileSync(join(dir, 'service.log'), logs);
    const result = await handOverArtifact({ name, paths: [dir], logger: runnerLogger });
    appendSummary(handOverSummaryLine(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void defineAction({ name: 'ephemeral-test', secrets: secretsOf, parseInputs, run, post });
