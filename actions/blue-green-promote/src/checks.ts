import type { Logger } from '@mlflow-actions/action-kit/log';
import { runChecks, type CheckResult } from '@mlflow-actions/http-checks/run-checks';
import type { CheckOutcome, RunChecks } from '@mlflow-actions/rollouts';
import type { Inputs } from './inputs.js';

/**
 * The one seam to the check engine (packages/http-checks, ephemeral-test's): which URL each stage checks, and
 * the verdict. The preview URL before promoting and at each canary pause, the active URL once Healthy.
 */
export function checksFor(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  logger: Logger,
): RunChecks | undefined {
  if (!inputs.previewUrl && !inputs.activeUrl) return undefined;
  return async (stage) => {
    const url = stage.kind === 'active' ? inputs.activeUrl : (inputs.previewUrl ?? inputs.activeUrl);
    if (!url) return { passed: true, summary: 'no URL to check at this stage' };
    const results = await runChecks({ baseUrl: url, checks: inputs.checks, env, timeoutMs: 10_000, logger });
    return outcome(url, results, inputs.expectedVersion);
  };
}

function outcome(url: string, results: CheckResult[], expectedVersion: string | undefined): CheckOutcome {
  const failed = results.filter((r) => !r.passed);
  const each = results.map((r) => ({ name: r.name, passed: r.passed, detail: detail(r) }));
  if (failed.length === 0) {
    return {
      passed: true,
      summary: `${results.length}/${results.length} checks passed at ${url}`,
      url,
      each,
      // The version check passed, so the service reported exactly this.
      ...(expectedVersion ? { version: expectedVersion } : {}),
    };
  }
  const first = failed[0]!;
  return {
    passed: false,
    summary: `${failed.length}/${results.length} failed at ${url}: ${first.name}: ${detail(first)}`,
    url,
    each,
  };
}

/** One line: the status and time, then why it failed. The service's text is in the failures only as JSON. */
function detail(r: CheckResult): string {
  const head = r.status === undefined ? 'no response' : `${r.status} in ${r.latencyMs} ms`;
  return oneLine(r.failures.length ? `${head}; ${r.failures.join('; ')}` : head);
}

/** Text a service answered, on one line (it may never start a line the runner reads as a command). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
