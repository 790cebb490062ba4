import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` annotations, unescaped, in order. */
  errors: string[];
  /** `::warning::` annotations, unescaped, in order. */
  warnings: string[];
  /** The same annotations with their properties (file, line, col). */
  annotations: { props: Record<string, string>; message: string }[];
  /** The `::warning::` annotations with their properties. */
  warningAnnotations: { props: Record<string, string>; message: string }[];
  /** `::add-mask::` values. */
  masked: string[];
  /** What the step saved with saveState (GITHUB_STATE), for its post: step. */
  state: Record<string, string>;
  ms: number;
}

interface ActionYml {
  /** YAML reads `default: true` or `default: 3` as a boolean or a number; the runner passes text. */
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>;
  runs: { using: string; main: string; post?: string };
}

export function readActionYml(name: string): ActionYml {
  return parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as ActionYml;
}

/**
 * Runs an action's committed bundle the way the Actions runner does: `runs.main` resolved from
 * action.yml, inputs as INPUT_<NAME> variables with action.yml's defaults filled in, and
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files that are parsed back afterwards.
 */
export async function runActionBundle(
  name: string,
  inputs: Record<string, string>,
  opts: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    timeoutMs?: number;
    /** Sees the process once started (a test that signals it mid-way). */
    onSpawn?: (child: ChildProcess) => void;
    /** The state a main step saved: this run is then its post: step (the runner sets STATE_<name>). */
    state?: Record<string, string>;
    /** Remove the step's temporary directory (RUNNER_TEMP, the file-command files) once they are read. */
    removeTemp?: boolean;
  } = {},
): Promise<ActionRun> {
  const yml = readActionYml(name);
  if (yml.runs.using !== 'node24') throw new Error(`${name}: runs.using is ${yml.runs.using}, expected node24`);
  // The bundle runs on this process's Node, which must be the one action.yml names, so that a
  // break on the runner's Node (or a crutch only an older Node needs) shows here.
  if (`node${process.versions.node.split('.')[0]}` !== yml.runs.using) {
    throw new Error(
      `tests run on Node ${process.version}, but ${name} runs on ${yml.runs.using}: run them with npm test`,
    );
  }
  const main = resolve(repoRoot, 'actions', name, yml.runs.main);
  if (!existsSync(main)) throw new Error(`${name}: runs.main ${yml.runs.main} does not exist (run npm run build)`);
  const tmp = mkdtempSync(join(tmpdir(), `run-${name}-`));
  const outputFile = join(tmp, 'output');
  const summaryFile = join(tmp, 'summary');
  const stateFile = join(tmp, 'state');
  // The runner creates a step's file-command files before the step starts.
  for (const f of [outputFile, summaryFile, stateFile]) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: tmp,
    GITHUB_WORKSPACE: opts.cwd ?? tmp,
  };
  for (const [k, spec] of Object.entries(yml.inputs ?? {})) {
    if (spec.default !== undefined) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = String(spec.default);
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) Reflect.deleteProperty(env, k);
    else env[k] = v;
  }
  const started = performance.now();
  const child = spawn(process.execPath, [main], { cwd: opts.cwd ?? tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((r) => {
    child.on('close', (c) => {
      r(c);
    });
  });
  clearTimeout(timer);
  const ms = performance.now() - started;
  const unescape = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  // `::cmd::message` or `::cmd key=value,key=value::message`
  const parsed = (cmd: string) =>
    stdout.split('\n').flatMap((l) => {
      const m = new RegExp(`^::${cmd}(?: ([^:]*))?::(.*)$`).exec(l);
      if (!m) return [];
      const props = Object.fromEntries(
        (m[1] ?? '')
          .split(',')
          .filter(Boolean)
          .map(
            (kv) => kv.split('=').map((x) => unescape(x.replace(/%3A/g, ':').replace(/%2C/g, ','))) as [string, string],
          ),
      );
      return [{ props, message: unescape(m[2]!) }];
    });
  const commands = (cmd: string) => parsed(cmd).map((c) => c.message);
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const files = { output: read(outputFile), summary: read(summaryFile), state: read(stateFile) };
  if (opts.removeTemp) rmSync(tmp, { recursive: true, force: true });
  return {
    code,
    stdout,
    stderr,
    outputs: parseFileCommand(files.output),
    summary: files.summary,
    errors: commands('error'),
    warnings: commands('warning'),
    annotations: parsed('error'),
    warningAnnotations: parsed('warning'),
    masked: commands('add-mask'),
    state: parseFileCommand(files.state),
    ms,
  };
}

/** Parses GITHUB_OUTPUT the way the runner does: `name<<DELIM` heredocs and `name=value` lines. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${key}`);
      out[key!] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`malformed output line: ${line}`);
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}
