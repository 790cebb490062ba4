import { describe, expect, it } from 'vitest';
import { InputReader, readInput } from '../../packages/action-kit/src/inputs.js';
import { InputError } from '../../packages/action-kit/src/errors.js';

const reader = (inputs: Record<string, string>) =>
  new InputReader(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])));

describe('InputReader', () => {
  it('reads INPUT_* like @actions/core: upper-cased, spaces to underscores, trimmed', () => {
    expect(readInput('model name', { INPUT_MODEL_NAME: '  x  ' })).toBe('x');
    expect(readInput('model-name', { 'INPUT_MODEL-NAME': 'y' })).toBe('y');
  });

  it('booleans are strictly true or false', () => {
    const r = reader({ a: 'TRUE', b: 'false', c: 'yes' });
    expect(r.boolean('a', false)).toBe(true);
    expect(r.boolean('b', true)).toBe(false);
    expect(r.boolean('c', false)).toBe(false);
    expect(r.boolean('missing', true)).toBe(true);
    expect(r.problems).toEqual(["input 'c' must be true or false, got 'yes'"]);
  });

  it('lists split on newlines and commas, dropping blanks', () => {
    expect(reader({ l: 'a, b\n\nc,,d ' }).list('l')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('integers with bounds', () => {
    const r = reader({ n: '5', big: '99', neg: '-1', word: 'x' });
    expect(r.integer('n', 0, { min: 0, max: 10 })).toBe(5);
    expect(r.integer('big', 1, { min: 0, max: 10 })).toBe(1);
    expect(r.integer('neg', 1, { min: 0 })).toBe(1);
    expect(r.integer('word', 2, { min: 0 })).toBe(2);
    expect(r.problems).toEqual([
      "input 'big' must be a whole number between 0 and 10, got '99'",
      "input 'neg' must be a whole number at least 0, got '-1'",
      "input 'word' must be a whole number at least 0, got 'x'",
    ]);
  });

  it('exactly one of several inputs', () => {
    expect(reader({ b: '1' }).exactlyOne(['a', 'b', 'c'])).toEqual({ name: 'b', value: '1' });
    const none = reader({});
    expect(none.exactlyOne(['a', 'b', 'c'])).toBeUndefined();
    expect(none.problems).toEqual(["one of 'a', 'b' or 'c' is required"]);
    const two = reader({ a: '1', c: '2' });
    two.exactlyOne(['a', 'b', 'c']);
    expect(two.problems).toEqual(["inputs 'a' and 'c' conflict: set only one of 'a', 'b' or 'c'"]);
  });

  it('done() throws one InputError carrying every problem', () => {
    const r = reader({ x: 'maybe' });
    r.required('name');
    r.boolean('x', false);
    expect(() => r.done()).toThrow(InputError);
    try {
      r.done();
    } catch (e) {
      expect((e as InputError).problems).toHaveLength(2);
    }
    expect(() => reader({}).done()).not.toThrow();
  });
});
