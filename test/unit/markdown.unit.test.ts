import { describe, expect, it } from 'vitest';
import { mdCode, mdEscape, mdTable } from '../../packages/action-kit/src/markdown.js';

describe('markdown helpers', () => {
  it('mdCode keeps text literal: no backslashes inside the span (they would show)', () => {
    expect(mdCode('model_viewer::artifact_version')).toBe('`model_viewer::artifact_version`');
    expect(mdCode('spec.containers[0].image')).toBe('`spec.containers[0].image`');
    expect(mdCode('<script>')).toBe('`<script>`');
  });

  it('mdCode grows the fence past backtick runs and pads a leading or trailing backtick', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('``x')).toBe('``` ``x ```');
    expect(mdCode('x`')).toBe('`` x` ``');
  });

  it('mdCode escapes pipes and folds newlines so a table row stays one row', () => {
    expect(mdCode('a|b\nc')).toBe('`a\\|b c`');
    expect(mdTable(['k'], [[mdCode('a|b')]])).toBe('| k |\n| --- |\n| `a\\|b` |\n');
  });

  it('mdCode of an empty string is a visible placeholder, not an empty span', () => {
    expect(mdCode('')).toBe('_(empty)_');
  });

  it('mdEscape escapes Markdown outside code', () => {
    expect(mdEscape('a_b *c* [d]|#')).toBe('a\\_b \\*c\\* \\[d\\]\\|\\#');
  });
});
