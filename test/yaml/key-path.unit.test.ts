import { describe, expect, it } from 'vitest';
import { formatPath, parsePath } from '../../packages/yaml-edit/src/index.js';

describe('key paths', () => {
  it.each([
    ['model_viewer::artifact_version', ['model_viewer::artifact_version']],
    ['profile::app::database.pool.max', ['profile::app::database', 'pool', 'max']],
    ['image.tag', ['image', 'tag']],
    ['podAnnotations.prometheus\\.io/port', ['podAnnotations', 'prometheus.io/port']],
    ['a\\\\b', ['a\\b']],
    ['list[0]', ['list', 0]],
    ['list[0][12].name', ['list', 0, 12, 'name']],
    ['[2].x', [2, 'x']],
    ['images[name=model-server].newTag', ['images', { key: 'name', equals: 'model-server' }, 'newTag']],
    ['env[name=A\\=B].value', ['env', { key: 'name', equals: 'A=B' }, 'value']],
    ['images[name=otel/collector\\]x]', ['images', { key: 'name', equals: 'otel/collector]x' }]],
    ['key\\[0\\]', ['key[0]']],
    ['a.b=c', ['a', 'b=c']],
  ])('%s', (text, segments) => {
    expect(parsePath(text)).toEqual(segments);
    expect(parsePath(formatPath(segments))).toEqual(segments);
  });

  it('formats segments back to a path string', () => {
    expect(formatPath(['a.b', 0, { key: 'name', equals: 'x' }, 'c'])).toBe('a\\.b[0][name=x].c');
  });

  it('takes segment arrays as they are, so any key text works', () => {
    expect(parsePath(['a.b', '', '[0]', 1])).toEqual(['a.b', '', '[0]', 1]);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a[0]b', 'a]b', 'a\\qb', 'a[=x]', 'a\\'])('rejects %j', (text) => {
    expect(() => parsePath(text)).toThrow(expect.objectContaining({ code: 'BAD_PATH' }));
  });

  it('rejects bad indexes in segment arrays', () => {
    expect(() => parsePath(['a', -1])).toThrow(/index/);
    expect(() => parsePath(['a', 1.5])).toThrow(/index/);
    expect(() => parsePath([])).toThrow(/empty/);
  });
});
