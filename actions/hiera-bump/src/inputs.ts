import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { readWriteBackInputs, writeBackSecrets, type WriteBackInputs } from '@mlflow-actions/writeback-action/inputs';
import { setValue, YamlEditError } from '@mlflow-actions/yaml-edit';

/** What each value must read back as; `auto` keeps the type of the value it replaces. */
export type ValueTypeInput = 'string' | 'auto' | 'integer' | 'boolean';

export interface Inputs extends WriteBackInputs {
  file: string;
  /** In input order; keys are single Hiera keys, never paths. */
  sets: { key: string; value: string }[];
  valueType: ValueTypeInput;
  /** Whether the user gave key/value (previous-value is then the plain value, not a JSON map). */
  single: boolean;
}

export const secretsOf = writeBackSecrets;

/** Every input checked before git or the network is touched; all problems reported at once. */
export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  const common = readWriteBackInputs(r, env);
  const file = r.raw('file') || 'data/common.yaml';
  if (file.startsWith('/') || file.split('/').includes('..'))
    r.problem(`input 'file' must be a path inside the repository, got '${file}'`);
  const key = r.optional('key');
  const value = r.raw('value');
  const setText = r.optional('set');
  const sets: Inputs['sets'] = [];
  if (key !== undefined && setText !== undefined) {
    r.problem(`inputs 'key' and 'set' conflict: use key with value for one key, or set for several`);
  } else if (key !== undefined) {
    if (value.trim() === '')
      r.problem(`input 'value' is required with 'key' (an empty value is not allowed: it would read as null)`);
    sets.push({ key, value: value.trim() });
  } else if (setText !== undefined) {
    for (const line of setText
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq <= 0 || line.slice(eq + 1).trim() === '') {
        r.problem(`input 'set' needs key=value lines, got '${line}'`);
        continue;
      }
      sets.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
    }
    const dup = sets.map((s) => s.key).find((k, i, all) => all.indexOf(k) !== i);
    if (dup) r.problem(`input 'set' names '${dup}' twice`);
  } else {
    r.problem(`input 'key' (with 'value') or 'set' is required`);
  }
  const valueType = r.choice('value-type', ['string', 'auto', 'integer', 'boolean'] as const, 'string');
  if (valueType === 'integer' || valueType === 'boolean') {
    for (const s of sets) {
      const problem = typeProblem(s.value, valueType);
      if (problem === undefined) continue;
      const named = key !== undefined ? `input 'value'` : `input 'set' (${s.key})`;
      r.problem(`${named} does not fit value-type ${valueType}: ${problem}`);
    }
  }
  r.done();
  return { ...common, file, sets, single: key !== undefined, valueType };
}

/**
 * Why `value` cannot be written as `type`, asked of the editor itself on a one-key document, so the
 * input check and the edit keep one rule (e.g. `yes` is a boolean, `4.5` is not an integer).
 */
function typeProblem(value: string, type: 'integer' | 'boolean'): string | undefined {
  try {
    setValue('v: x\n', ['v'], value, { type });
    return undefined;
  } catch (e) {
    if (e instanceof YamlEditError && e.code === 'BAD_VALUE') return e.message;
    throw e;
  }
}
