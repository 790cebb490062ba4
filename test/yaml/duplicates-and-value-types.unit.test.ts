import { describe, expect, it } from 'vitest';
import { YamlEditError, getValue, setValues } from '../../packages/yaml-edit/src/index.js';
import { editText } from '../../packages/yaml-edit/src/yaml-edit.js';

// Inputs shaped like real Hiera data: a node file that sets one class list twice (the last
// wins for Puppet), and an IPsec options block with a key written twice.
const NODE = `---
psick::base::linux_classes:
  monitor_plugins: ''

psick::base::linux_classes:
  wordpress: profile::wordpress

psick::selinux::state: disabled
profile::app::replicas: 3
profile::app::debug: false
profile::app::version: "1.0"
profile::app::legacy: yes
profile::app::ratio: 1.5
profile::app::nothing: ~
`;

// The same values in a file without duplicates, which the large-file path's fast reader takes.
const TYPES = NODE.replace(/^psick::base[^]*?\n\n(?=psick::selinux)/m, '');

const NESTED = `vpn::connections:
  roadwarrior:
    options:
      authby: secret
      xauthby: pam
      rekey: no
      xauthby: pam
vpn::noop: true
`;

function errorOf(f: () => unknown): YamlEditError {
  try {
    f();
  } catch (e) {
    if (e instanceof YamlEditError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

// Both editing paths: the full parse (small files) and the large-file path (fast reader, then
// the local check), which every file of 64 KiB and more takes.
const paths = [
  ['full parse', Number.POSITIVE_INFINITY],
  ['large-file path', 0],
] as const;

describe.each(paths)('duplicate keys (%s)', (_name, largeFrom) => {
  const edit = (text: string, edits: Parameters<typeof setValues>[1]) => editText(text, edits, {}, largeFrom);

  it('an edit off the duplicated key goes ahead, changes only its value and warns once, at the duplicate', () => {
    const r = edit(NODE, [
      { path: ['psick::selinux::state'], value: 'enforcing' },
      { path: ['profile::app::replicas'], value: 4 },
    ]);
    expect(r.text).toBe(NODE.replace('state: disabled', 'state: enforcing').replace('replicas: 3', 'replicas: 4'));
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ line: 5, column: 1 });
    expect(r.warnings[0]!.message).toMatch(
      /key psick::base::linux_classes more than once \(lines 2 and 5\); Puppet and Helm use the last one/,
    );
  });

  it('setting the duplicated key, or a key under it, is refused with both lines', () => {
    const own = errorOf(() => edit('a: 1\nb: 2\na: 3\n', [{ path: 'a', value: 4 }]));
    expect(own).toMatchObject({ code: 'DUPLICATE_KEY', line: 3, column: 1 });
    expect(own.message).toMatch(/^cannot set a: the key a is in the file more than once \(lines 1 and 3\)/);
    const child = errorOf(() => edit(NODE, [{ path: ['psick::base::linux_classes', 'web'], value: 'nginx' }]));
    expect(child).toMatchObject({ code: 'DUPLICATE_KEY', line: 5 });
    expect(child.message).toMatch(
      /its parent psick::base::linux_classes is in the file more than once \(lines 2 and 5\)/,
    );
  });

  it('a duplicate deep in another block: the edit goes ahead; its own path is refused', () => {
    const r = edit(NESTED, [{ path: ['vpn::noop'], value: false }]);
    expect(r.text).toBe(NESTED.replace('noop: true', 'noop: false'));
    expect(r.warnings.map((w) => [w.line, w.column])).toEqual([[7, 7]]);
    expect(r.warnings[0]!.message).toMatch(
      /vpn::connections\.roadwarrior\.options\.xauthby more than once \(lines 5 and 7\)/,
    );
    const e = errorOf(() =>
      edit(NESTED, [{ path: ['vpn::connections', 'roadwarrior', 'options', 'xauthby'], value: 'alwaysok' }]),
    );
    expect(e.message).toMatch(
      /the key vpn::connections\.roadwarrior\.options\.xauthby is in the file more than once \(lines 5 and 7\)/,
    );
    // Another key of the same mapping is not the duplicate.
    const sibling = edit(NESTED, [{ path: ['vpn::connections', 'roadwarrior', 'options', 'authby'], value: 'rsasig' }]);
    expect(sibling.text).toBe(NESTED.replace('authby: secret', 'authby: rsasig'));
  });

  it("a warning's line is the duplicate's line in the returned text (after a key added above it)", () => {
    const text = 'app:\n  port: 1\nx: 1\nx: 2\n';
    const r = edit(text, [{ path: 'app.host', value: 'h' }]);
    expect(r.text).toBe('app:\n  port: 1\n  host: h\nx: 1\nx: 2\n');
    expect(r.warnings.map((w) => w.line)).toEqual([5]);
  });

  it('no duplicate, no warning', () => {
    expect(edit('a: 1\n', [{ path: 'a', value: 2 }]).warnings).toEqual([]);
  });
});

describe('reading a duplicated key', () => {
  it('is refused too, since the reader would see another value', () => {
    expect(errorOf(() => getValue('a: 1\na: 2\n', 'a'))).toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(getValue('a: 1\na: 2\nb: 3\n', 'b')).toBe('3');
  });
});

describe.each(paths)('value types (%s)', (_name, largeFrom) => {
  const set = (path: string, value: string, type: 'auto' | 'string' | 'integer' | 'boolean') =>
    editText(TYPES, [{ path: [path], value, type }], {}, largeFrom);

  it('string (the default) quotes what would read as another type', () => {
    expect(set('profile::app::replicas', '4', 'string').text).toBe(TYPES.replace('replicas: 3', 'replicas: "4"'));
    expect(editText(TYPES, [{ path: ['profile::app::replicas'], value: '4' }], {}, largeFrom).changes[0]!.type).toBe(
      'string',
    );
  });

  it('auto keeps an integer, a boolean, a quoted string', () => {
    const n = set('profile::app::replicas', '4', 'auto');
    expect(n.text).toBe(TYPES.replace('replicas: 3', 'replicas: 4'));
    expect(n.changes[0]).toMatchObject({ type: 'integer', previous: '3', next: '4', changed: true });
    const b = set('profile::app::debug', 'true', 'auto');
    expect(b.text).toBe(TYPES.replace('debug: false', 'debug: true'));
    expect(b.changes[0]!.type).toBe('boolean');
    const s = set('profile::app::version', '2', 'auto');
    expect(s.text).toBe(TYPES.replace('version: "1.0"', 'version: "2"'));
    expect(s.changes[0]!.type).toBe('string');
    expect(set('profile::app::ratio', '2.5', 'auto').text).toBe(TYPES.replace('ratio: 1.5', 'ratio: 2.5'));
  });

  it('auto on a new key or a null value writes a string', () => {
    const added = set('profile::app::new', '5', 'auto');
    expect(added.text).toBe(TYPES + 'profile::app::new: "5"\n');
    expect(set('profile::app::nothing', '5', 'auto').text).toBe(TYPES.replace('nothing: ~', 'nothing: "5"'));
  });

  it('auto refuses a value of another type, and a value the YAML versions type differently', () => {
    const wrong = errorOf(() => set('profile::app::replicas', 'four', 'auto'));
    expect(wrong).toMatchObject({ code: 'BAD_VALUE', line: 3, column: 25 });
    expect(wrong.message).toMatch(
      /^cannot set profile::app::replicas to "four": it holds an integer \(3\) and auto keeps that type, but "four" is not an integer/,
    );
    const split = errorOf(() => set('profile::app::legacy', 'no', 'auto'));
    expect(split).toMatchObject({ code: 'BAD_VALUE', line: 6 });
    expect(split.message).toMatch(
      /its value yes is a boolean to YAML 1\.1 readers \(Puppet\) but a string to YAML 1\.2 readers/,
    );
    expect(errorOf(() => set('profile::app::ratio', '2.5x', 'auto')).message).toMatch(/it holds a number \(1\.5\)/);
  });

  it('integer refuses a fraction and any text; boolean takes true/false/yes/no and writes true/false', () => {
    expect(set('profile::app::replicas', '12', 'integer').text).toBe(TYPES.replace('replicas: 3', 'replicas: 12'));
    expect(errorOf(() => set('profile::app::replicas', '4.5', 'integer')).message).toMatch(/"4.5" is not an integer/);
    expect(errorOf(() => set('profile::app::replicas', 'x', 'integer')).code).toBe('BAD_VALUE');
    expect(set('profile::app::debug', 'yes', 'boolean').text).toBe(TYPES.replace('debug: false', 'debug: true'));
    expect(set('profile::selinux', 'on', 'boolean').changes[0]).toMatchObject({ added: true, type: 'boolean' });
  });
});
