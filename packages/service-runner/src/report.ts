import type { CheckResult, LoadResult, ReadinessResult } from '@mlflow-actions/http-checks';
import type { TestCommandResult } from './test-command.js';

/** The report file an ephemeral test writes (`schema_version` 1); the step summary shows the same. */
export interface ServiceReport {
  schema_version: 1;
  result: 'passed' | 'failed';
  /** One line each, in the order they happened; empty when the test passed. */
  failures: string[];
  target: { kind: 'container' | 'process'; image?: string; command?: string; id?: string; base_url?: string };
  started_at: string;
  duration_ms: number;
  readiness?: ReadinessSummary;
  checks: CheckResult[];
  test_command?: TestCommandResult;
  load?: LoadResult;
  /** The service's last log lines, when the test failed (outside text: shown as text, never run). */
  log_tail?: string;
  /** Set when keep-on-failure left the service running: how to remove it. */
  kept?: { remove_with: string };
}

export interface ReadinessSummary {
  ready: boolean;
  ms: number;
  attempts: number;
  status?: number;
  reason?: 'exited' | 'timeout';
  exit_code?: number | null;
  message?: string;
}

/** The readiness result without its logs (they go to log_tail once). */
export function summarizeReadiness(r: ReadinessResult): ReadinessSummary {
  if (r.ready) return { ready: true, ms: r.ms, attempts: r.attempts, status: r.status };
  return {
    ready: false,
    ms: r.ms,
    attempts: r.attempts,
    reason: r.reason,
    message: r.message,
    ...(r.lastStatus !== undefined ? { status: r.lastStatus } : {}),
    ...(r.exit ? { exit_code: r.exit.exitCode } : {}),
  };
}
