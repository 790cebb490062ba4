import { describe, expect, it } from 'vitest';
import { condition, evaluate, interpolate, type ExpressionContext } from '../helpers/workflow-expressions.js';
import { readJob } from '../helpers/workflow-runner.js';

// The lifecycle e2e trusts this evaluator to mean what GitHub means; these pin the parts it relies on and
// the refusals that keep it from meaning anything else.
const ctx = (over: Partial<ExpressionContext> = {}): ExpressionContext => ({
  inputs: { 'model-version': '3' },
  vars: { MODEL_NAME: 'recs' },
  secrets: { TOKEN: 's3cret' },
  env: {},
  github: { token: 'ghs_x' },
  runner: { temp: '/tmp/r' },
  steps: { bump: { outcome: 'success', outputs: { changed: 'true', 'commit-sha': 'abc' } } },
  jobFailed: false,
  ...over,
});

describe('workflow expressions (the harness of the lifecycle e2e)', () => {
  it('reads the contexts the workflows use; a missing key is empty, as on GitHub', () => {
    expect(interpolate('${{ inputs.model-version }}-${{ vars.MODEL_NAME }}', ctx())).toBe('3-recs');
    expect(interpolate('${{ steps.bump.outputs.commit-sha }}', ctx())).toBe('abc');
    expect(interpolate('${{ steps.nope.outputs.x }}|${{ vars.UNSET }}', ctx())).toBe('|');
    expect(interpolate('${{ runner.temp }}/m.json', ctx())).toBe('/tmp/r/m.json');
    expect(evaluate('steps.bump.outcome', ctx())).toBe('success');
  });

  it('|| and && return an operand; == compares strings ignoring case', () => {
    expect(evaluate("vars.UNSET || 'champion'", ctx())).toBe('champion');
    expect(evaluate("vars.MODEL_NAME && 'yes' || 'no'", ctx())).toBe('yes');
    expect(evaluate("steps.bump.outputs.changed == 'TRUE'", ctx())).toBe(true);
    expect(evaluate("steps.bump.outputs.changed != 'true'", ctx())).toBe(false);
    expect(evaluate("!(vars.UNSET == '')", ctx())).toBe(false);
  });

  it('if: without a status function means success() && (…); failure() runs only after a failure', () => {
    const failed = ctx({ jobFailed: true });
    expect(condition(undefined, ctx())).toBe(true);
    expect(condition(undefined, failed)).toBe(false);
    expect(condition("steps.bump.outputs.changed == 'true'", failed)).toBe(false);
    expect(condition("failure() && steps.bump.outputs.changed == 'true'", failed)).toBe(true);
    expect(condition("${{ failure() && steps.bump.outputs.changed == 'true' }}", ctx())).toBe(false);
    expect(condition('always()', failed)).toBe(true);
  });

  it('refuses loudly what it does not evaluate', () => {
    expect(() => evaluate("contains(vars.MODEL_NAME, 'r')", ctx())).toThrow(/cannot read|not one the harness/);
    expect(() => evaluate('hashFiles()', ctx())).toThrow('function hashFiles() is not one the harness evaluates');
    expect(() => evaluate('needs.image.outputs.digest', ctx())).toThrow('is a context the harness does not evaluate');
    expect(() => evaluate('github.event_name', ctx())).toThrow('is not a github property the harness provides');
    expect(() => evaluate("fromJSON('[1]')[0]", ctx())).toThrow();
    expect(() => evaluate('steps.bump.outputs', ctx())).toThrow('must be steps.<id>.outputs.<name>');
  });

  it('refuses a job with keys it does not run', () => {
    expect(() => readJob('model-image.yml', 'staging')).toThrow("job staging: key 'needs' is not run");
  });
});
