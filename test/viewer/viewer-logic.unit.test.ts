// The app's pure parts, in Node: the Markdown tree and the metric comparison.
import { describe, expect, it } from 'vitest';
import { compareMetric, metricDirection } from '../../packages/viewer/app/compare.js';
import { formatDelta, formatDuration, formatValue } from '../../packages/viewer/app/format.js';
import { parseMarkdown, safeHttpUrl } from '../../packages/viewer/app/markdown.js';
import { jsonForScript } from '../../packages/viewer/src/html.js';

/** The inlines of a one-paragraph text. */
const parseInline = (src: string) => {
  const blocks = parseMarkdown(src);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.t).toBe('p');
  return (blocks[0] as { c: unknown[] }).c;
};

describe('markdown', () => {
  it.each([
    ['# Title', [{ t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] }]],
    ['Title\n===', [{ t: 'h', level: 1, c: [{ t: 'text', v: 'Title' }] }]],
    ['a\nb', [{ t: 'p', c: [{ t: 'text', v: 'a\nb' }] }]],
    ['---', [{ t: 'hr' }]],
    ['```py\nx = "<b>"\n```', [{ t: 'pre', lang: 'py', v: 'x = "<b>"' }]],
    ['    indented\n    code', [{ t: 'pre', lang: '', v: 'indented\ncode' }]],
    ['> quoted', [{ t: 'quote', c: [{ t: 'p', c: [{ t: 'text', v: 'quoted' }] }] }]],
    [
      '2. two\n3. three',
      [
        {
          t: 'list',
          ordered: true,
          start: 2,
          items: [[{ t: 'p', c: [{ t: 'text', v: 'two' }] }], [{ t: 'p', c: [{ t: 'text', v: 'three' }] }]],
        },
      ],
    ],
    ['<div>\n*x*\n</div>', [{ t: 'p', c: [{ t: 'text', v: '<div>\n*x*\n</div>' }] }]],
  ])('blocks: %j', (src, tree) => {
    expect(parseMarkdown(src)).toEqual(tree);
  });

  it('nested lists, task lists and a table', () => {
    const [list] = parseMarkdown('- a\n  - b\n- c');
    expect(list).toMatchObject({
      t: 'list',
      items: [[{ t: 'p' }, { t: 'list', items: [[{ t: 'p', c: [{ v: 'b' }] }]] }], [{ t: 'p', c: [{ v: 'c' }] }]],
    });
    const [tasks] = parseMarkdown('- [x] done\n- [ ] todo');
    const item = (checked: boolean, v: string) => [{ t: 'p', c: [{ t: 'task', checked }, { v: ' ' }, { v }] }];
    expect(tasks).toMatchObject({ t: 'list', items: [item(true, 'done'), item(false, 'todo')] });
    const [table] = parseMarkdown('| k | v |\n|:--|--:|\n| a | `1` |\n| b |');
    expect(table).toEqual({
      t: 'table',
      align: ['left', 'right'],
      head: [[{ t: 'text', v: 'k' }], [{ t: 'text', v: 'v' }]],
      rows: [
        [[{ t: 'text', v: 'a' }], [{ t: 'code', v: '1' }]],
        [[{ t: 'text', v: 'b' }], []],
      ],
    });
  });

  it('inlines: emphasis, code, links, escapes, references', () => {
    expect(parseInline('**b** *i* ~~d~~ `c`')).toEqual([
      { t: 'strong', c: [{ t: 'text', v: 'b' }] },
      { t: 'text', v: ' ' },
      { t: 'em', c: [{ t: 'text', v: 'i' }] },
      { t: 'text', v: ' ' },
      { t: 'del', c: [{ t: 'text', v: 'd' }] },
      { t: 'text', v: ' ' },
      { t: 'code', v: 'c' },
    ]);
    expect(parseInline('snake_case_name \\*x\\* &amp; &copy;')).toEqual([{ t: 'text', v: 'snake_case_name *x* & ©' }]);
    expect(parseInline('[doc](https://e.test/a_(b) "t")')).toEqual([
      { t: 'link', href: 'https://e.test/a_(b)', c: [{ t: 'text', v: 'doc' }] },
    ]);
    expect(parseInline('see https://e.test/x.')).toEqual([
      { t: 'text', v: 'see ' },
      { t: 'link', href: 'https://e.test/x', c: [{ t: 'text', v: 'https://e.test/x' }] },
      { t: 'text', v: '.' },
    ]);
    expect(parseMarkdown('[doc][d] and [bad][b]\n\n[d]: https://e.test/d\n[b]: javascript:alert(1)')).toEqual([
      {
        t: 'p',
        c: [
          { t: 'link', href: 'https://e.test/d', c: [{ t: 'text', v: 'doc' }] },
          { t: 'text', v: ' and [bad][b]' },
        ],
      },
    ]);
  });

  it('only absolute http(s) links become links; HTML stays text', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      '//host/x',
      'file:///etc/passwd',
    ]) {
      expect(safeHttpUrl(bad)).toBeNull();
      expect(parseInline(`[x](${bad})`)).toEqual([{ t: 'text', v: `[x](${bad})` }]);
    }
    const notLinks = '<javascript:alert(1)> and a@b.test';
    expect(parseInline(notLinks)).toEqual([{ t: 'text', v: notLinks }]);
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ t: 'text', v: '<img src=x onerror=alert(1)>' }]);
    expect(parseInline('a <b>bold</b> word')).toEqual([{ t: 'text', v: 'a <b>bold</b> word' }]);
    expect(parseInline('![alt](https://e.test/i.png)')).toEqual([
      { t: 'link', href: 'https://e.test/i.png', c: [{ t: 'text', v: 'alt' }] },
    ]);
    const img = 'https://e.test/i.png';
    expect(parseInline(`![](${img})`)).toEqual([{ t: 'link', href: img, c: [{ t: 'text', v: img }] }]);
  });
});

describe('metric direction and change', () => {
  it.each([
    ['val_loss', 'lower'],
    ['logLoss', 'lower'],
    ['mean_absolute_error', 'lower'],
    ['rmse', 'lower'],
    ['test_RMSE', 'lower'],
    ['p95LatencyMs', 'lower'],
    ['accuracy', 'higher'],
    ['f1_score', 'higher'],
    ['roc_auc', 'higher'],
    ['terrain_score', 'higher'],
  ])('%s: %s is better', (name, dir) => {
    expect(metricDirection(name)).toBe(dir);
  });

  it('verdicts', () => {
    expect(compareMetric('accuracy', 0.92, 0.9)).toMatchObject({
      verdict: 'better',
      delta: expect.closeTo(0.02, 10) as unknown,
    });
    expect(compareMetric('loss', 0.3, 0.2)).toMatchObject({
      verdict: 'worse',
      relative: expect.closeTo(0.5, 10) as unknown,
    });
    expect(compareMetric('loss', 0.1 + 0.2, 0.30000000000000004)).toMatchObject({ verdict: 'same' });
    expect(compareMetric('x', 1, undefined).verdict).toBe('new');
    expect(compareMetric('x', undefined, 1).verdict).toBe('removed');
    expect(compareMetric('x', 'NaN', 1)).toMatchObject({ verdict: 'incomparable', delta: null });
    expect(compareMetric('x', 2, 0)).toMatchObject({ verdict: 'better', relative: null });
  });

  it('formats', () => {
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(12)).toBe('12');
    expect(formatValue(1.5e-7)).toBe('1.5e-7');
    expect(formatValue('NaN')).toBe('NaN');
    expect(formatDelta(-3, -0.2)).toBe('−3 (−20.0%)');
    expect(formatDuration(754_000)).toBe('12 min 34 s');
  });
});

describe('the data island', () => {
  it('cannot be closed by data, and parses back to the same value', () => {
    const v = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: '\u2028&' };
    const s = jsonForScript(v);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(s)).toEqual(v);
  });
});
