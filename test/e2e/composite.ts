import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommand } from '../helpers/run-action.js';

/**
 * Runs a composite action (the root action.yml) the way the Actions runner runs it for a caller
 * in ANOTHER repository: the working directory is the caller's workspace, GITHUB_ACTION_PATH is
 * the action's own directory, each step is a `bash --noprofile --norc -eo pipefail` script with
 * its own GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the chain stops at the first failing step,
 * and the action's outputs are evaluated at the end.
 *
 * Expressions are evaluated by a deliberately tiny evaluator that knows only the forms the root
 * action uses: `${{ inputs.x }}`, `${{ steps.id.outputs.x }}`, `${{ github.token }}` and the
 * conditions `<operand> != ''` / `<operand> == ''`. Anything else (a function call, `&&`, an
 * unknown input, a later step, a step key the harness does not model) throws, so the harness
 * cannot silently run something other than what the runner would.
 */
export interface CompositeStepRun {
  id: string;
  /** false when its `if:` was false (the runner then records the step as skipped). */
  ran: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The step's evaluated env, as the runner would set it (secrets included: test use only). */
  env: Record<string, string>;
}

export interface CompositeRun {
  /** The runner's verdict: 0 when every step that ran succeeded. */
  code: number;
  steps: CompositeStepRun[];
  outputs: Record<string, string>;
  /** Everything every step printed, stdout then stderr per step. */
  log: string;
}

interface CompositeStep {
  id: string;
  name?: string;
  if?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}

export interface CompositeAction {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: CompositeStep[] };
}

const STEP_KEYS = new Set(['id', 'name', 'if', 'shell', 'env', 'run']);
const NAME = '[A-Za-z_][\\w-]*';
const OPERAND = new RegExp(`^(?:inputs\\.(${NAME})|steps\\.(${NAME})\\.outputs\\.(${NAME})|github\\.(token))$`);

export interface ExpressionContext {
  inputs: Record<string, string>;
  /** Outputs of the steps that ran so far (a skipped step has {}). */
  steps: Record<string, Record<string, string>>;
  github: { token: string };
}

function operand(expr: string, ctx: ExpressionContext): string {
  const m = OPERAND.exec(expr.trim());
  if (!m) throw new Error(`composite harness: unsupported expression '${expr.trim()}'`);
  const [, input, stepId, stepOutput, github] = m;
  if (input !== undefined) {
    if (!(input in ctx.inputs)) throw new Error(`composite harness: '${expr.trim()}' names an undeclared input`);
    return ctx.inputs[input]!;
  }
  if (stepId !== undefined) {
    // The runner yields '' for an unknown step; here it is a mistake in action.yml.
    if (!(stepId in ctx.steps))
      throw new Error(`composite harness: '${expr.trim()}' names a step that has not run before this point`);
    return ctx.steps[stepId]![stepOutput!] ?? '';
  }
  if (github === 'token') return ctx.github.token;
  throw new Error(`composite harness: unsupported expression '${expr.trim()}'`);
}

/** Substitutes every `${{ … }}` in a value (the runner's string interpolation). */
export function interpolate(value: unknown, ctx: ExpressionContext): string {
  // Values here are the scalars of action.yml and the workflow; an object would print as [object Object].
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value ?? '').replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => operand(expr, ctx));
}

/** Evaluates a step's `if:` (bare or wrapped in `${{ }}`); only `<operand> != ''` and `<operand> == ''`. */
export function evaluateCondition(condition: string, ctx: ExpressionContext): boolean {
  let expr = condition.trim();
  const wrapped = /^\$\{\{(.*)\}\}$/s.exec(expr);
  if (wrapped) expr = wrapped[1]!.trim();
  const m = /^(\S+)\s*(!=|==)\s*''$/.exec(expr);
  if (!m) throw new Error(`composite harness: unsupported condition '${condition}'`);
  const value = operand(m[1]!, ctx);
  // Comparisons of strings in Actions expressions ignore case; against '' that cannot matter.
  return m[2] === '!=' ? value !== '' : value === '';
}

export function readComposite(path: string): CompositeAction {
  const action = parse(readFileSync(path, 'utf8')) as CompositeAction;
  if (action.runs.using !== 'composite') throw new Error(`${path}: runs.using is ${action.runs.using}, not composite`);
  for (const step of action.runs.steps) {
    const extra = Object.keys(step).filter((k) => !STEP_KEYS.has(k));
    if (extra.length)
      throw new Error(
        `composite harness: step '${step.id}' uses ${extra.join(', ')}, which the harness does not model`,
      );
    if (step.shell !== 'bash')
      throw new Error(`composite harness: step '${step.id}' has shell ${step.shell}; only bash is modelled`);
    if (!step.id) throw new Error('composite harness: every step needs an id');
  }
  return action;
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // The runner writes the script to a file and runs `bash --noprofile --norc -eo pipefail {0}`.
    const file = join(env.RUNNER_TEMP!, `step-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, script);
    // Async on purpose: the git server the steps push to lives in this process.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runComposite(
  actionDir: string,
  given: Record<string, string>,
  opts: { cwd: string; env?: Record<string, string>; githubToken?: string; stepTimeoutMs?: number },
): Promise<CompositeRun> {
  const action = readComposite(join(actionDir, 'action.yml'));
  const unknown = Object.keys(given).filter((k) => !(k in action.inputs));
  // The runner only warns about an unexpected input; a test passing one has a typo.
  if (unknown.length) throw new Error(`composite harness: unexpected input(s) ${unknown.join(', ')}`);
  const ctx: ExpressionContext = {
    inputs: {},
    steps: {},
    github: { token: opts.githubToken ?? 'ghs_default_github_token' },
  };
  for (const [k, spec] of Object.entries(action.inputs))
    ctx.inputs[k] = k in given ? given[k]! : interpolate(spec.default ?? '', ctx);

  const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
  const steps: CompositeStepRun[] = [];
  let code = 0;
  let log = '';
  for (const step of action.runs.steps) {
    // A step's `if:` carries an implicit success(): after a failure nothing else runs.
    if (code !== 0) break;
    if (step.if !== undefined && !evaluateCondition(step.if, ctx)) {
      ctx.steps[step.id] = {};
      steps.push({ id: step.id, ran: false, code: null, stdout: '', stderr: '', outputs: {}, summary: '', env: {} });
      continue;
    }
    const outputFile = join(runnerTemp, `output-${step.id}`);
    const summaryFile = join(runnerTemp, `summary-${step.id}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = interpolate(v, ctx);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? runnerTemp,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: opts.cwd,
      RUNNER_TEMP: runnerTemp,
      ...opts.env,
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...stepEnv,
    };
    const r = await runBash(step.run, opts.cwd, env, opts.stepTimeoutMs ?? 120_000);
    const outputs = parseFileCommand(readFileSync(outputFile, 'utf8'));
    ctx.steps[step.id] = outputs;
    steps.push({ id: step.id, ran: true, ...r, outputs, summary: readFileSync(summaryFile, 'utf8'), env: stepEnv });
    log += r.stdout + r.stderr;
    if (r.code !== 0) code = 1;
  }
  // After a failure the runner still evaluates outputs; steps that never ran give ''.
  for (const step of action.runs.steps) ctx.steps[step.id] ??= {};
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, interpolate(v.value, ctx)]));
  return { code, steps, outputs, log };
}
