import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommand, readActionYml, repoRoot, runActionBundle } from './run-action.js';
import { condition, interpolate, type ExpressionContext, type StepRecord } from './workflow-expressions.js';

/**
 * Runs one job of a workflow file the way the Actions runner would: step by step, `if:` evaluated against the
 * outcomes so far (default `success()`), `uses: <owner>/<repo>/actions/<name>@<sha>` as the committed bundle
 * dist/<name> with INPUT_* from `with:` (and action.yml's defaults, their expressions evaluated too), `run:`
 * with bash (`-eo pipefail`) and the step's `env:`, GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files per step. What the
 * harness does not implement (other actions, keys such as `continue-on-error`, other shells, other expression
 * syntax) throws, so a workflow never passes here by meaning something else than on GitHub.
 */

interface StepSpec {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string | boolean;
  shell?: string;
}

interface JobSpec {
  steps?: StepSpec[];
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  [key: string]: unknown;
}

export interface WorkflowContext {
  inputs?: Record<string, string>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** github.* values the workflow reads (token, sha, repository, actor, …). */
  github?: Record<string, string>;
  /** Extra environment every step sees (e.g. DOCKER_HOST); GITHUB_* of `github` are set too. */
  env?: Record<string, string>;
  /** Per step, in ms (the bundle is killed after it). */
  stepTimeoutMs?: number;
}

export interface StepResult {
  id: string | undefined;
  name: string;
  outcome: StepRecord['outcome'];
  code: number | null;
  outputs: Record<string, string>;
  /** `::error::` lines the step printed, unescaped. */
  errors: string[];
  stdout: string;
  stderr: string;
  summary: string;
}

export interface JobResult {
  result: 'success' | 'failure';
  steps: StepResult[];
  outputs: Record<string, string>;
  /** Every step's `::error::` lines, in order. */
  errors: string[];
  step(idOrName: string): StepResult;
}

const JOB_KEYS = new Set([
  'name',
  'runs-on',
  'timeout-minutes',
  'permissions',
  'environment',
  'concurrency',
  'outputs',
  'steps',
  'env',
]);
const STEP_KEYS = new Set(['id', 'name', 'uses', 'run', 'with', 'env', 'if', 'shell']);
const OURS = /^<owner>\/<repo>\/actions\/([\w-]+)@[0-9a-f]{40}$/;

export function readJob(file: string, jobId: string): JobSpec {
  const wf = parse(readFileSync(join(repoRoot, 'workflows-examples', file), 'utf8')) as {
    jobs?: Record<string, JobSpec>;
  };
  const job = wf.jobs?.[jobId];
  if (!job) throw new Error(`${file}: no job '${jobId}'`);
  for (const k of Object.keys(job))
    if (!JOB_KEYS.has(k)) throw new Error(`${file} job ${jobId}: key '${k}' is not run`);
  return job;
}

const text = (v: unknown) =>
  typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : '';
const render = (map: Record<string, unknown> | undefined, ctx: ExpressionContext) =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, interpolate(text(v), ctx)]));

export async function runWorkflowJob(file: string, jobId: string, wctx: WorkflowContext = {}): Promise<JobResult> {
  const job = readJob(file, jobId);
  const temp = mkdtempSync(join(tmpdir(), 'workflow-job-'));
  const github: Record<string, string> = { server_url: 'https://github.com', ...wctx.github };
  const githubEnv: Record<string, string> = {
    GITHUB_SERVER_URL: github.server_url ?? 'https://github.com',
    ...(github.repository ? { GITHUB_REPOSITORY: github.repository } : {}),
    ...(github.sha ? { GITHUB_SHA: github.sha } : {}),
    ...(github.actor ? { GITHUB_ACTOR: github.actor } : {}),
    RUNNER_TEMP: temp,
  };
  const ctx: ExpressionContext = {
    inputs: wctx.inputs ?? {},
    vars: wctx.vars ?? {},
    secrets: { ...(github.token ? { GITHUB_TOKEN: github.token } : {}), ...wctx.secrets },
    env: {},
    github,
    runner: { temp, os: 'Linux' },
    steps: {},
    jobFailed: false,
  };
  const results: StepResult[] = [];
  try {
    ctx.env = { ...wctx.env, ...render(job.env, ctx) };
    for (const [index, step] of (job.steps ?? []).entries()) {
      for (const k of Object.keys(step))
        if (!STEP_KEYS.has(k)) throw new Error(`${file} step ${index}: key '${k}' is not run`);
      const name = step.name ?? step.id ?? step.uses ?? `step ${index}`;
      const record = (r: Omit<StepResult, 'id' | 'name'>) => {
        results.push({ id: step.id, name, ...r });
        if (step.id) ctx.steps[step.id] = { outputs: r.outputs, outcome: r.outcome };
        if (r.outcome === 'failure') ctx.jobFailed = true;
      };
      if (!condition(step.if, ctx)) {
        record({ outcome: 'skipped', code: null, outputs: {}, errors: [], stdout: '', stderr: '', summary: '' });
        continue;
      }
      const stepEnv = { ...githubEnv, ...ctx.env, ...render(step.env, { ...ctx }) };
      const ran = step.uses
        ? await runUses(step, stepEnv, ctx, temp, wctx.stepTimeoutMs)
        : await runScript(step, stepEnv, temp, wctx.stepTimeoutMs);
      record(ran);
    }
    const outputs = render(job.outputs, ctx);
    return {
      result: ctx.jobFailed ? 'failure' : 'success',
      steps: results,
      outputs,
      errors: results.flatMap((s) => s.errors),
      step(idOrName) {
        const found = results.find((s) => s.id === idOrName || s.name === idOrName);
        if (!found) throw new Error(`no step '${idOrName}' in ${file} job ${jobId}`);
        return found;
      },
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function runUses(
  step: StepSpec,
  env: Record<string, string>,
  ctx: ExpressionContext,
  workspace: string,
  timeoutMs = 300_000,
): Promise<Omit<StepResult, 'id' | 'name'>> {
  if (step.run) throw new Error(`step '${step.uses}' has both uses: and run:`);
  const m = OURS.exec(step.uses ?? '');
  if (!m) throw new Error(`step uses '${step.uses}': the harness runs only this repository's actions, pinned by SHA`);
  const name = m[1]!;
  const yml = readActionYml(name);
  // A post: step (ephemeral-test's clean-up) would need the job's end; refuse rather than skip it.
  if (yml.runs.post !== undefined) throw new Error(`step uses ${name}, whose post: step the harness does not run`);
  const inputs: Record<string, string> = {};
  // The runner evaluates action.yml's defaults (e.g. `${{ github.token }}`) in the step's context.
  for (const [k, spec] of Object.entries(yml.inputs ?? {}))
    if (spec.default !== undefined) inputs[k] = interpolate(String(spec.default), ctx);
  for (const [k, v] of Object.entries(step.with ?? {})) {
    if (!(k in (yml.inputs ?? {}))) throw new Error(`step '${step.id ?? name}': '${k}' is not an input of ${name}`);
    inputs[k] = interpolate(text(v), ctx);
  }
  const run = await runActionBundle(name, inputs, { env, cwd: workspace, timeoutMs, removeTemp: true });
  return {
    outcome: run.code === 0 ? 'success' : 'failure',
    code: run.code,
    outputs: run.outputs,
    errors: run.errors,
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
  };
}

async function runScript(
  step: StepSpec,
  env: Record<string, string>,
  workspace: string,
  timeoutMs = 120_000,
): Promise<Omit<StepResult, 'id' | 'name'>> {
  if (step.shell !== undefined && step.shell !== 'bash')
    throw new Error(`shell '${step.shell}' is not run by the harness`);
  if (step.with) throw new Error('a run: step has no with:');
  const dir = mkdtempSync(join(tmpdir(), 'workflow-step-'));
  try {
    const script = join(dir, 'script.sh');
    const output = join(dir, 'output');
    const summary = join(dir, 'summary');
    writeFileSync(script, step.run ?? '');
    for (const f of [output, summary]) writeFileSync(f, '');
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        ...env,
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_WORKSPACE: workspace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout ends what the script started too, not only bash.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    const code = await new Promise<number | null>((r) => {
      child.on('close', r);
    });
    clearTimeout(timer);
    return {
      outcome: code === 0 ? 'success' : 'failure',
      code,
      outputs: parseFileCommand(readFileSync(output, 'utf8')),
      errors: stdout
        .split('\n')
        .flatMap((l) => /^::error(?: [^:]*)?::(.*)$/.exec(l)?.[1] ?? [])
        .map((s) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')),
      stdout,
      stderr,
      summary: readFileSync(summary, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
