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
  required?: boolean;
  default?: unknown;
}
interface ActionYml {
  inputs?: Record<string, InputSpec>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; steps?: Step[] };
}
interface WorkflowCall {
  inputs?: Record<string, InputSpec>;
  secrets?: Record<string, { required?: boolean }>;
  outputs?: Record<string, unknown>;
}

const dir = join(repoRoot, 'workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
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
 * The action.yml a `uses:` of this repository names: `<owner>/<repo>@v1` is the root composite,
 * `<owner>/<repo>/actions/<name>@v1` one of actions/. Anything else of ours is a mistake.
 */
function ourAction(uses: string): { label: string; yml: ActionYml | undefined } | undefined {
  if (!uses.startsWith('<owner>/<repo>')) return undefined;
  const m = /^<owner>\/<repo>(?:\/actions\/([\w-]+))?@v\d+$/.exec(uses);
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

  it('declares least permissions at the top', () => {
    expect(wf.permissions).toBeDefined();
    expect(JSON.stringify(wf.permissions)).not.toMatch(/write-all|"write"/);
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
  const steps = rootAction.runs.steps ?? [];
  /** The sibling action each step runs, from its `node "$GITHUB_ACTION_PATH/dist/<name>/index.js"`. */
  const sibling = (s: Step) => /^node "\$GITHUB_ACTION_PATH\/dist\/([\w-]+)\/index\.js"$/.exec(s.run ?? '')?.[1];

  it('runs sibling bundles through $GITHUB_ACTION_PATH, never `uses: ./`, and keeps ${{ }} out of run:', () => {
    expect(rootAction.runs.using).toBe('composite');
    for (const s of steps) {
      expect(s.uses).toBeUndefined();
      expect(s.run).toMatch(/^node "\$GITHUB_ACTION_PATH\/dist\/[\w-]+\/index\.js"$/);
      expect(s.run).not.toMatch(/\$\{\{/);
    }
  });

  it('chains the seed pipeline in the contract order', () => {
    expect(steps.map(sibling)).toEqual(['mlflow-metadata', 'build-viewer', 's3-publish', 'hiera-bump']);
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
    const check = (where: unknown, label: string) => {
      for (const [, k] of matches(where, /inputs\.([\w-]+)/g)) {
        expect(declared, `${label}: inputs.${k}`).toContain(k);
        used.add(k!);
      }
      for (const [, id, out] of matches(where, /steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        expect([...seen.keys()], `${label}: steps.${id} must be an earlier step`).toContain(id);
        expect(seen.get(id!), `${label}: ${id} has no output '${out}'`).toContain(out);
      }
    };
    for (const s of steps) {
      check({ env: s.env, if: s.if }, `step ${s.id}`);
      const outs = readYaml<ActionYml>(join(repoRoot, 'actions', sibling(s)!, 'action.yml')).outputs ?? {};
      seen.set(s.id!, Object.keys(outs));
    }
    check(rootAction.outputs, 'outputs');
    expect(
      declared.filter((k) => !used.has(k)),
      'declared but never used',
    ).toEqual([]);
  });

  it("skips only the Hiera step, and only when hiera-repository is empty; the token reaches nothing but hiera-bump's token input", () => {
    expect(steps.filter((s) => s.if !== undefined).map((s) => [sibling(s), s.if])).toEqual([
      ['hiera-bump', "inputs.hiera-repository != ''"],
    ]);
    const tokenUses = steps.flatMap((s) =>
      Object.entries(s.env ?? {})
        .filter(([, v]) => String(v).includes('inputs.hiera-token'))
        .map(([k]) => `${sibling(s)} ${k}`),
    );
    expect(tokenUses).toEqual(['hiera-bump INPUT_TOKEN']);
    expect(JSON.stringify(rootAction.outputs)).not.toContain('hiera-token');
  });
});
