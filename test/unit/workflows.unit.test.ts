import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/run-action.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  name?: string;
  environment?: string | { name: string };
  concurrency?: string | { group: string; 'cancel-in-progress'?: unknown };
  permissions?: unknown;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  needs?: string | string[];
  outputs?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  permissions?: unknown;
  jobs: Record<string, Job>;
}
interface InputSpec {
  description?: string;
  required?: boolean;
  default?: unknown;
}
interface ActionYml {
  description?: string;
  inputs?: Record<string, InputSpec>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; steps?: Step[] };
}
interface WorkflowCall {
  inputs?: Record<string, InputSpec>;
  secrets?: Record<string, { description?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string; value?: string }>;
}

const dir = join(repoRoot, 'workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the YAML's shape
const readYaml = <T>(path: string) => parse(readFileSync(path, 'utf8')) as T;
const rootAction = readYaml<ActionYml>(join(repoRoot, 'action.yml'));

/** Every string anywhere in a YAML value (to find the expressions in it). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}
const matches = (v: unknown, re: RegExp) => strings(v).flatMap((s) => [...s.matchAll(re)]);

/** Required inputs the caller must give: `required: true` and no default. */
const mustGive = (inputs: Record<string, InputSpec> = {}) =>
  Object.entries(inputs)
    .filter(([, s]) => s.required === true && s.default === undefined)
    .map(([k]) => k);

/**
 * The action.yml a `uses:` of this repository names: `<owner>/<repo>@<sha>` is the root composite,
 * `<owner>/<repo>/actions/<name>@<sha>` one of actions/. Anything else of ours is a mistake
 * (a tag such as `@v1` too: this project's actions receive the write tokens, so they are pinned).
 */
function ourAction(uses: string): { label: string; yml: ActionYml | undefined } | undefined {
  if (!uses.startsWith('<owner>/<repo>')) return undefined;
  const m = /^<owner>\/<repo>(?:\/actions\/([\w-]+))?@[0-9a-f]{40}$/.exec(uses);
  if (!m) return { label: uses, yml: undefined };
  if (!m[1]) return { label: 'action.yml', yml: rootAction };
  const path = join(repoRoot, 'actions', m[1], 'action.yml');
  return { label: `actions/${m[1]}/action.yml`, yml: existsSync(path) ? readYaml<ActionYml>(path) : undefined };
}

// The safety rules every example workflow (and the root composite action) must keep.
describe.each(files)('workflows-examples/%s', (file) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const wf = parse(text) as Workflow;
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps ?? []);

  it('grants nothing at the top; each job names itself and declares its own permissions', () => {
    expect(wf.permissions).toEqual({});
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      expect(job.name, `${jobId}: a job without a name`).toBeTruthy();
      // A job that calls a reusable workflow gets its permissions from the called jobs.
      if (!job.uses) expect(job.permissions, `${jobId}: no permissions: of its own`).toBeDefined();
    }
  });

  it('runs every job that reads a secret in an environment, one deployment per environment at a time', () => {
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (job.uses) continue; // a caller passes secrets on; the called job holds them (checked there)
      const secrets = matches(job, /secrets\.([\w-]+)/g).map(([, name]) => name);
      if (secrets.length === 0) continue;
      expect(job.environment, `${jobId} reads ${secrets.join(', ')} outside an environment:`).toBeDefined();
      // Reading MLflow is no deployment; writing (a token that pushes, an OIDC role) is, one at a time.
      const deploys =
        secrets.some((n) => !n!.startsWith('MLFLOW_TRACKING_')) ||
        JSON.stringify(job.permissions).includes('"id-token":"write"');
      if (!deploys) continue;
      const env = typeof job.environment === 'string' ? job.environment : job.environment!.name;
      const group = typeof job.concurrency === 'string' ? job.concurrency : job.concurrency?.group;
      expect(group, `${jobId}: no concurrency group`).toBeDefined();
      // The group names the environment (its literal name, or the same expression).
      const envNames = env.startsWith('${{') ? [env.replace(/^\$\{\{\s*|\s*\}\}$/g, '')] : [env];
      expect(
        envNames.some((n) => group!.includes(n)),
        `${jobId}: group '${group}' is not per environment`,
      ).toBe(true);
      if (typeof job.concurrency === 'object') expect(job.concurrency['cancel-in-progress']).toBe(false);
    }
  });

  it("pins this project's actions by full commit SHA with the release tag in a comment", () => {
    const ours = text.split('\n').filter((l) => /^\s*(?:-\s+)?uses:\s*<owner>\/<repo>/.test(l));
    for (const line of ours)
      expect(line, 'pin: <owner>/<repo>[/actions/x]@<40 hex> # vX.Y.Z').toMatch(
        /uses:\s*<owner>\/<repo>(?:\/actions\/[\w-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/,
      );
  });

  it('gives every uploaded artifact a name unique to the call (run id and attempt)', () => {
    for (const job of Object.values(wf.jobs)) {
      const byId = new Map((job.steps ?? []).filter((s) => s.id).map((s) => [s.id!, s]));
      for (const s of job.steps ?? []) {
        if (!s.uses?.startsWith('actions/upload-artifact@')) continue;
        // A name made by an earlier run: step counts with that step's script.
        const made = matches(s.with?.name, /steps\.([\w-]+)\.outputs/g).map(([, id]) => byId.get(id!)?.run ?? '');
        const name = [JSON.stringify(s.with?.name ?? ''), ...made].join('\n');
        expect(name).toMatch(/github\.run_id|GITHUB_RUN_ID/);
        expect(name).toMatch(/github\.run_attempt|GITHUB_RUN_ATTEMPT/);
      }
    }
  });

  it('a reusable workflow describes every input, secret and output', () => {
    const call = (wf.on as { workflow_call?: WorkflowCall } | undefined)?.workflow_call;
    if (!call) return;
    const described: Record<string, Record<string, { description?: string }> | undefined> = {
      input: call.inputs,
      secret: call.secrets,
      output: call.outputs,
    };
    for (const [kind, entries] of Object.entries(described))
      for (const [k, spec] of Object.entries(entries ?? {}))
        expect(spec.description, `${kind} '${k}' has no description`).toBeTruthy();
  });

  it('never expands ${{ }} inside run: scripts (inputs reach scripts through env:)', () => {
    for (const s of steps) if (s.run) expect(s.run).not.toMatch(/\$\{\{/);
  });

  it('pins third-party actions (and reusable workflows) by full commit SHA', () => {
    const uses = [...steps.map((s) => s.uses), ...Object.values(wf.jobs).map((j) => j.uses)].filter(
      (u): u is string => !!u,
    );
    for (const u of uses) {
      if (u.startsWith('<owner>/<repo>') || u.startsWith('./')) continue;
      expect(u).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it('names only actions that exist here, with only their inputs, and gives every required one', () => {
    for (const s of steps) {
      const ours = s.uses ? ourAction(s.uses) : undefined;
      if (!ours) continue;
      expect(ours.yml, `${s.uses}: no such action in this repository`).toBeDefined();
      const inputs = ours.yml!.inputs ?? {};
      for (const k of Object.keys(s.with ?? {}))
        expect(Object.keys(inputs), `${s.uses}: '${k}' is not an input of ${ours.label}`).toContain(k);
      for (const k of mustGive(inputs))
        expect(Object.keys(s.with ?? {}), `${s.uses}: required input '${k}' missing`).toContain(k);
    }
  });

  it('reads only outputs that the step or job it names declares', () => {
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      const byId = new Map((job.steps ?? []).filter((s) => s.id).map((s) => [s.id!, s]));
      for (const [, id, out] of matches(job, /steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const step = byId.get(id!);
        expect(step, `${jobId}: steps.${id} is not a step of this job`).toBeDefined();
        const ours = step!.uses ? ourAction(step!.uses) : undefined;
        if (ours?.yml)
          expect(Object.keys(ours.yml.outputs ?? {}), `${jobId}: ${ours.label} has no output '${out}'`).toContain(out);
        // A run: step's outputs are whatever it writes to GITHUB_OUTPUT: check it names them.
        if (step!.run)
          expect(step!.run, `${jobId}: step ${id} never writes '${out}'`).toMatch(new RegExp(`(^|\\s|")${out}=`));
      }
      const needs = [job.needs ?? []].flat();
      for (const [, need, out] of matches(job, /needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect(needs, `${jobId}: needs.${need} without needs: ${need}`).toContain(need);
        expect(Object.keys(wf.jobs[need!]?.outputs ?? {}), `${jobId}: job ${need} has no output '${out}'`).toContain(
          out,
        );
      }
    }
    const call = (wf.on as { workflow_call?: WorkflowCall } | undefined)?.workflow_call;
    for (const [, jobId, out] of matches(call?.outputs ?? {}, /jobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(
        Object.keys(wf.jobs[jobId!]?.outputs ?? {}),
        `workflow_call output reads jobs.${jobId}.outputs.${out}`,
      ).toContain(out);
    }
  });

  it('a reusable workflow uses only the inputs and secrets it declares', () => {
    const call = (wf.on as { workflow_call?: WorkflowCall } | undefined)?.workflow_call;
    if (!call) return;
    for (const [, name] of matches(wf.jobs, /inputs\.([\w-]+)/g))
      expect(Object.keys(call.inputs ?? {}), `inputs.${name}`).toContain(name);
    for (const [, name] of matches(wf.jobs, /secrets\.([\w-]+)/g))
      if (name !== 'GITHUB_TOKEN') expect(Object.keys(call.secrets ?? {}), `secrets.${name}`).toContain(name);
  });

  it('calls only reusable workflows kept here, with their inputs and secrets', () => {
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (!job.uses || !/^(\.\/|<owner>\/<repo>\/)\.github\/workflows\//.test(job.uses)) continue;
      const target = /\.github\/workflows\/([\w.-]+\.ya?ml)(@[\w.-]+)?$/.exec(job.uses)?.[1];
      expect(
        target && existsSync(join(dir, target)),
        `${jobId}: ${job.uses} is not in workflows-examples/`,
      ).toBeTruthy();
      const call = (readYaml<Workflow>(join(dir, target!)).on as { workflow_call?: WorkflowCall }).workflow_call;
      expect(call, `${target} has no workflow_call trigger`).toBeDefined();
      for (const k of Object.keys(job.with ?? {}))
        expect(Object.keys(call!.inputs ?? {}), `${jobId}: '${k}' is not an input of ${target}`).toContain(k);
      for (const k of mustGive(call!.inputs))
        expect(Object.keys(job.with ?? {}), `${jobId}: required input '${k}' of ${target} missing`).toContain(k);
      if (job.secrets === 'inherit') continue;
      for (const k of Object.keys(job.secrets ?? {}))
        expect(Object.keys(call!.secrets ?? {}), `${jobId}: '${k}' is not a secret of ${target}`).toContain(k);
      for (const [k, s] of Object.entries(call!.secrets ?? {}))
        if (s.required) expect(Object.keys(job.secrets ?? {})).toContain(k);
    }
  });
});

describe('root action.yml (composite)', () => {
  const [first, ...steps] = rootAction.runs.steps ?? [];
  const check = first!;
  /** The sibling action each step runs, from its `node "$GITHUB_ACTION_PATH/dist/<name>/index.js"`. */
  const sibling = (s: Step) => /^node "\$GITHUB_ACTION_PATH\/dist\/([\w-]+)\/index\.js"$/.exec(s.run ?? '')?.[1];

  it('runs sibling bundles through $GITHUB_ACTION_PATH, never `uses: ./`, and keeps ${{ }} out of run:', () => {
    expect(rootAction.runs.using).toBe('composite');
    for (const s of [check, ...steps]) {
      expect(s.uses).toBeUndefined();
      expect(s.run).not.toMatch(/\$\{\{/);
    }
    for (const s of steps) expect(s.run).toMatch(/^node "\$GITHUB_ACTION_PATH\/dist\/[\w-]+\/index\.js"$/);
    expect(check.run).toContain('node "$GITHUB_ACTION_PATH/composite/preflight.mjs"');
  });

  it('chains the seed pipeline in the contract order, after the check of every input', () => {
    expect(check.id).toBe('check');
    expect(steps.map(sibling)).toEqual(['mlflow-metadata', 'build-viewer', 's3-publish', 'hiera-bump']);
    expect(check.env?.MLFLOW_ACTIONS_CHECK).toBe(steps.map(sibling).join(' '));
  });

  it("the check step gives each bundle exactly its step's inputs; stand-ins only for earlier steps' outputs", () => {
    const standIns: Record<string, string> = {
      'metadata-file': '{stand-in:file}',
      'output-dir': '{stand-in:dir}',
      'model-version': '{stand-in:version}',
      'artifact-version': '{stand-in:text}',
    };
    const expected: Record<string, string> = { MLFLOW_ACTIONS_CHECK: check.env!.MLFLOW_ACTIONS_CHECK! };
    for (const s of steps) {
      const prefix = `${sibling(s)!.toUpperCase().replace(/-/g, '_')}__`;
      if (s.if !== undefined) {
        const [, operand] = /^(inputs\.[\w-]+) != ''$/.exec(s.if) ?? [];
        expect(operand, `step ${s.id}: if: ${s.if}`).toBeDefined();
        expected[`${prefix}WHEN`] = `\${{ ${operand} }}`;
      }
      for (const [k, v] of Object.entries(s.env ?? {})) {
        const out = /^\$\{\{ steps\.[\w-]+\.outputs\.([\w-]+) \}\}$/.exec(v)?.[1];
        expected[`${prefix}${k}`] = out ? standIns[out]! : v;
      }
    }
    expect(check.env).toEqual(expected);
  });

  it('the Node the check asks for is the one every bundle declares', () => {
    const preflight = readFileSync(join(repoRoot, 'composite', 'preflight.mjs'), 'utf8');
    const major = /const REQUIRED_NODE_MAJOR = (\d+);/.exec(preflight)?.[1];
    for (const name of new Set(steps.map(sibling)))
      expect(readYaml<ActionYml>(join(repoRoot, 'actions', name!, 'action.yml')).runs.using).toBe(`node${major}`);
    expect(check.run).toContain(`node-version: ${major}`);
  });

  it.each(steps.map((s) => [s.id ?? '?', s] as const))(
    'step %s passes only inputs its action declares, every required one, as the runner names them',
    (_, s) => {
      const name = sibling(s)!;
      const yml = readYaml<ActionYml>(join(repoRoot, 'actions', name, 'action.yml'));
      // The bundle is the one the action itself runs, so the composite cannot drift from it.
      expect(resolve(repoRoot, 'actions', name, yml.runs.main!)).toBe(join(repoRoot, 'dist', name, 'index.js'));
      const byEnv = new Map(
        Object.keys(yml.inputs ?? {}).map((k) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, k]),
      );
      const given = Object.keys(s.env ?? {}).filter((k) => k.startsWith('INPUT_'));
      for (const k of given) expect([...byEnv.keys()], `${k} is not an input of actions/${name}`).toContain(k);
      for (const k of mustGive(yml.inputs))
        expect(given, `required input '${k}' of ${name}`).toContain(`INPUT_${k.toUpperCase()}`);
    },
  );

  it("reads only declared inputs and earlier steps' declared outputs, and uses every input it declares", () => {
    const declared = Object.keys(rootAction.inputs ?? {});
    const used = new Set<string>();
    const seen = new Map<string, string[]>(); // step id -> output names of its action
    const checkRefs = (where: unknown, label: string) => {
      for (const [, k] of matches(where, /inputs\.([\w-]+)/g)) {
        expect(declared, `${label}: inputs.${k}`).toContain(k);
        used.add(k!);
      }
      for (const [, id, out] of matches(where, /steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect([...seen.keys()], `${label}: steps.${id} must be an earlier step`).toContain(id);
        expect(seen.get(id!), `${label}: ${id} has no output '${out}'`).toContain(out);
      }
    };
    checkRefs({ env: check.env, if: check.if }, 'step check');
    seen.set(check.id!, []);
    for (const s of steps) {
      checkRefs({ env: s.env, if: s.if }, `step ${s.id}`);
      const outs = readYaml<ActionYml>(join(repoRoot, 'actions', sibling(s)!, 'action.yml')).outputs ?? {};
      seen.set(s.id!, Object.keys(outs));
    }
    checkRefs(rootAction.outputs, 'outputs');
    expect(
      declared.filter((k) => !used.has(k)),
      'declared but never used',
    ).toEqual([]);
  });

  it("skips only the Hiera step, and only when hiera-repository is empty; the token reaches nothing but hiera-bump's token input", () => {
    expect(steps.filter((s) => s.if !== undefined).map((s) => [sibling(s), s.if])).toEqual([
      ['hiera-bump', "inputs.hiera-repository != ''"],
    ]);
    expect(check.if).toBeUndefined();
    const tokenUses = [check, ...steps].flatMap((s) =>
      Object.entries(s.env ?? {})
        .filter(([, v]) => v.includes('inputs.hiera-token'))
        .map(([k]) => `${sibling(s) ?? s.id} ${k}`),
    );
    expect(tokenUses).toEqual(['check HIERA_BUMP__INPUT_TOKEN', 'hiera-bump INPUT_TOKEN']);
    expect(JSON.stringify(rootAction.outputs)).not.toContain('hiera-token');
  });
});

describe('names and defaults agree across the actions, the root action, the workflows and the READMEs', () => {
  const readmes = ['README.md', ...readdirSync(join(repoRoot, 'actions')).map((a) => `actions/${a}/README.md`)].filter(
    (f) => existsSync(join(repoRoot, f)),
  );
  const sources = [...readmes, ...files.map((f) => `workflows-examples/${f}`)];

  it('metric-history has one default: the action, the root action and the reusable workflow', () => {
    const action = readYaml<ActionYml>(join(repoRoot, 'actions', 'mlflow-metadata', 'action.yml'));
    const reusable = readYaml<Workflow>(join(dir, 'mlflow-metadata.reusable.yml')).on as {
      workflow_call: WorkflowCall;
    };
    const defaults = [action.inputs?.['metric-history']?.default, rootAction.inputs?.['metric-history']?.default];
    defaults.push(reusable.workflow_call.inputs?.['metric-history']?.default);
    expect(new Set(defaults).size, `defaults ${JSON.stringify(defaults)}`).toBe(1);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toMatch(
      new RegExp(`\`metric-history\`\\s+\\(default\\s+\`${String(defaults[0])}\``),
    );
  });

  it('each credential has one secret name everywhere', () => {
    // The name each credential goes by, by the input or variable it is given to.
    const expected = (key: string, file: string): string | undefined => {
      if (key.startsWith('MLFLOW_TRACKING_')) return key;
      if (key === 'hiera-token') return 'HIERA_TOKEN';
      if (key !== 'token') return undefined;
      if (file.includes('hiera-bump')) return 'HIERA_TOKEN';
      if (file.includes('gitops') || file.startsWith('workflows-examples/deploy-')) return 'GITOPS_TOKEN';
      return undefined;
    };
    const seen: string[] = [];
    for (const file of sources) {
      const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n');
      for (const [, key, name] of lines.flatMap((l) => [
        ...l.matchAll(/([\w-]+):\s*\$\{\{\s*secrets\.(\w+)\s*\}\}/g),
      ])) {
        const want = expected(key!, file);
        if (want) expect(`${file}: ${key}: ${name}`).toBe(`${file}: ${key}: ${want}`);
        seen.push(name!);
      }
    }
    expect(seen).toEqual(expect.arrayContaining(['GITOPS_TOKEN', 'HIERA_TOKEN', 'MLFLOW_TRACKING_TOKEN']));
  });

  it('the README tells users to pin this project by commit SHA', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toMatch(/full commit SHA/);
    expect(readme).not.toMatch(/uses: <owner>\/<repo>[^\n]*@v\d+\s*$/m);
  });

  it("the root action's description fits the Marketplace (under 125 characters)", () => {
    expect(rootAction.description!.length).toBeLessThan(125);
  });
});
