import type { Logger } from '@mlflow-actions/action-kit/log';
import {
  runChecks,
  runLoadTest,
  versionCheck,
  waitForReady,
  type HttpCheck,
  type LoadThresholds,
} from '@mlflow-actions/http-checks';
import { startContainer, type ContainerOptions } from './container.js';
import { startProcess, type ProcessOptions } from './local-process.js';
import { summarizeReadiness, type ServiceReport } from './report.js';
import type { CleanupState, RunningService } from './service.js';
import { runTestCommand } from './test-command.js';

export type ServiceTarget =
  | { kind: 'container'; options: Omit<ContainerOptions, 'logger'> }
  | { kind: 'process'; options: Omit<ProcessOptions, 'logger'> };

export interface TestServiceOptions {
  target: ServiceTarget;
  healthPath: string;
  healthExpectJson?: Record<string, unknown>;
  readyTimeoutMs: number;
  checks: HttpCheck[];
  /** Shorthand: after the checks, GET /version must report it. */
  expectedVersion?: string;
  /** The user's own tests (`sh -c`, BASE_URL set). */
  testCommand?: string;
  load?: {
    durationSeconds: number;
    connections: number;
    rate?: number;
    request: HttpCheck;
    thresholds: LoadThresholds;
  };
  /** A failed service is left running for a person to look at (the report says how to remove it). */
  keepOnFailure: boolean;
  /** Where `${NAME}` in header values is read, and the test command's environment. */
  env: Record<string, string | undefined>;
  cwd: string;
  logger: Logger;
  /**
   * Called with what removes the service, before it is started: saved by the caller, a later
   * process (the post: step) can remove it even if this one is killed mid-way.
   */
  onCleanupState: (state: CleanupState) => void;
  /** Runs each phase (a log group on the runner). */
  phase?: <T>(title: string, fn: () => Promise<T>) => Promise<T>;
  /**
   * Runs the test command, whose output streams to the log: on the runner, with workflow commands
   * stopped, since that output quotes the service.
   */
  untrustedOutput?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Log lines kept in the report on failure. */
  logTailLines?: number;
}

export interface TestServiceResult {
  report: ServiceReport;
  /** The service's whole log as far as it was captured (for an artifact). */
  logs: string;
}

/** What a later process needs to remove the service, known before it starts. */
export function cleanupStateOf(target: ServiceTarget): CleanupState {
  return target.kind === 'container'
    ? { kind: 'container', label: target.options.label }
    : { kind: 'process', pidFile: target.options.pidFile };
}

/**
 * Starts the service, waits until it is ready, runs the checks in order, the test command and the
 * load test, and removes the service again (unless it failed and keepOnFailure is set). A start
 * that fails (no image, port taken, no docker CLI) throws its one-line ActionError; everything after
 * that ends in the report, never as an exception.
 */
export async function testService(opts: TestServiceOptions): Promise<TestServiceResult> {
  const phase = opts.phase ?? (<T>(_: string, fn: () => Promise<T>) => fn());
  const { logger, target } = opts;
  const started = Date.now();
  const report: ServiceReport = {
    schema_version: 1,
    result: 'failed',
    failures: [],
    target:
      target.kind === 'container'
        ? { kind: 'container', image: target.options.image }
        : { kind: 'process', command: target.options.command },
    started_at: new Date(started).toISOString(),
    duration_ms: 0,
    checks: [],
  };
  opts.onCleanupState(cleanupStateOf(target));
  const svc: RunningService = await phase(
    target.kind === 'container' ? `Start ${target.options.image}` : `Start ${target.options.command}`,
    () =>
      target.kind === 'container'
        ? startContainer({ ...target.options, logger })
        : startProcess({ ...target.options, logger }),
  );
  report.target.id = svc.id;
  report.target.base_url = svc.baseUrl;
  let logs: string;
  try {
    await exercise(svc, opts, report, phase);
  } finally {
    report.result = report.failures.length === 0 ? 'passed' : 'failed';
    logs = await svc.logs(100_000).catch(() => '');
    if (report.result === 'failed') report.log_tail = lastLines(logs, opts.logTailLines ?? 50);
    if (report.result === 'failed' && opts.keepOnFailure) {
      report.kept = { remove_with: svc.removeHint };
    } else {
      await svc.stop();
    }
    report.duration_ms = Date.now() - started;
  }
  return { report, logs };
}

async function exercise(
  svc: RunningService,
  opts: TestServiceOptions,
  report: ServiceReport,
  phase: NonNullable<TestServiceOptions['phase']>,
): Promise<void> {
  const { logger } = opts;
  const readiness = await phase(`Wait until ${opts.healthPath} is ready`, () =>
    waitForReady({
      url: new URL(opts.healthPath, svc.baseUrl).toString(),
      timeoutMs: opts.readyTimeoutMs,
      exited: svc.exited,
      logger,
      ...(opts.healthExpectJson ? { expectJson: opts.healthExpectJson } : {}),
    }),
  );
  report.readiness = summarizeReadiness(readiness);
  if (!readiness.ready) {
    const lastLog = readiness.exit?.logs ? lastLines(readiness.exit.logs.trimEnd(), 3).split('\n').join(' | ') : '';
    report.failures.push(`readiness: ${readiness.message}${lastLog ? `; last log lines: ${lastLog}` : ''}`);
    return;
  }
  logger.info(`ready after ${readiness.ms} ms (${readiness.attempts} polls)`);

  const checks = [...opts.checks, ...(opts.expectedVersion ? [versionCheck(opts.expectedVersion)] : [])];
  if (checks.length) {
    report.checks = await phase(`Run ${checks.length} check(s)`, () =>
      runChecks({ baseUrl: svc.baseUrl, checks, env: opts.env, logger }),
    );
    for (const c of report.checks) if (!c.passed) report.failures.push(`check "${c.name}": ${c.failures.join('; ')}`);
  }

  if (opts.testCommand) {
    const command = opts.testCommand;
    const guarded = opts.untrustedOutput ?? (<T>(fn: () => Promise<T>) => fn());
    report.test_command = await phase('Run test-command', () =>
      guarded(() => runTestCommand(command, svc.baseUrl, { env: opts.env, cwd: opts.cwd, logger })),
    );
    if (!report.test_command.passed) report.failures.push(`test-command exited with ${report.test_command.exitCode}`);
  }

  if (opts.load) {
    const load = opts.load;
    try {
      report.load = await phase(`Load ${load.request.method} ${load.request.path} for ${load.durationSeconds} s`, () =>
        runLoadTest({ baseUrl: svc.baseUrl, env: opts.env, logger, ...load }),
      );
      for (const f of report.load.failures) report.failures.push(`load: ${f}`);
    } catch (e) {
      // A load test that could not run never passes.
      report.failures.push(`load: ${(e as Error).message}`);
    }
  }
}

function lastLines(text: string, n: number): string {
  return text.split('\n').slice(-n).join('\n');
}
