import { assert, describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import {
  YamlEditError,
  YamlSyntaxError,
  findScalars,
  formatAnnotation,
  getScalar,
  getValue,
  setValue,
  setValues,
} from '../../packages/yaml-edit/src/index.js';
import { lineDiff } from './corpus-helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof YamlEditError ? e.code : `not a YamlEditError: ${String(e)}`;
  }
  return undefined;
}

function errorOf(fn: () => unknown): YamlEditError {
  try {
    fn();
  } catch (e) {
    if (e instanceof YamlEditError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const HIERA = `---
# Hiera data for the recommendation service.
# Bumped by CI; everything else is hand-maintained.

defaults: &defaults
  timeout: 30
  retries: 3

model_viewer::artifact_version: "prod-recommendation-engine-3-1767225600"  # bumped by CI
model_viewer::enabled: yes
model_viewer::listen: on
model_viewer::log_pattern: '%d | %p | %m'
model_viewer::settings:
  <<: *defaults
  retries: 5

profile::ntp::servers: [0.pool.ntp.org, 1.pool.ntp.org]
profile::db::password: ENC[PKCS7,MIIBiQYJKoZIhvcNAQcDoIIBejCCAXYCAQAx]
profile::app::replicas: 4
`;

describe('hiera-bump: the file from the bug report', () => {
  it('changes one line, keeping the marker, comments, blank lines, anchor, merge key and yes/on', () => {
    const { text, changes } = setValues(HIERA, [
      { path: ['model_viewer::artifact_version'], value: 'prod-recommendation-engine-4-1767312000' },
    ]);
    const diff = lineDiff(HIERA, text);
    expect(diff.removed).toEqual([9]);
    expect(diff.added).toEqual([9]);
    expect(text.split('\n')[8]).toBe(
      'model_viewer::artifact_version: "prod-recommendation-engine-4-1767312000"  # bumped by CI',
    );
    expect(changes).toEqual([
      {
        path: ['model_viewer::artifact_version'],
        document: 0,
        previous: 'prod-recommendation-engine-3-1767225600',
        next: 'prod-recommendation-engine-4-1767312000',
        changed: true,
        added: false,
        line: 9,
        type: 'string',
      },
    ]);
  });

  it('treats a key with :: as one key, never a path', () => {
    expect(getValue(HIERA, 'model_viewer::enabled')).toBe('yes');
    expect(getValue(HIERA, 'model_viewer::settings.retries')).toBe('5');
    const { text } = setValue(HIERA, 'model_viewer::log_pattern', '%d | %p | %c | %m');
    expect(text).toContain("model_viewer::log_pattern: '%d | %p | %c | %m'\n");
  });

  it('reports changed: false and returns the identical text when the value is already set', () => {
    const r = setValues(HIERA, [
      { path: 'model_viewer::artifact_version', value: 'prod-recommendation-engine-3-1767225600' },
      { path: 'profile::app::replicas', value: 4 },
      { path: 'profile::app::replicas', value: '4', type: 'number' },
      { path: 'model_viewer::settings.retries', value: 5 },
    ]);
    expect(r.text).toBe(HIERA);
    expect(r.changes.map((c) => c.changed)).toEqual([false, false, false, false]);
  });

  it('rewrites a YAML 1.1 boolean only when asked for a different type: a string "yes" must be quoted', () => {
    // `yes` is a boolean to Puppet (YAML 1.1) and a string to YAML 1.2 readers.
    const asString = setValue(HIERA, 'model_viewer::enabled', 'yes');
    expect(asString.changes[0]!.changed).toBe(true);
    expect(asString.text).toContain('model_viewer::enabled: "yes"\n');
    const asBool = setValue(HIERA, 'model_viewer::enabled', true);
    expect(asBool.text).toContain('model_viewer::enabled: true\n');
    expect(parseDocument(asBool.text, { version: '1.1' }).get('model_viewer::enabled')).toBe(true);
  });

  it('refuses hiera-eyaml encrypted values, single-line or folded', () => {
    const e = errorOf(() =>
      setValues(HIERA, [{ path: 'profile::db::password', value: 'hunter2' }], { fileName: 'data/common.yaml' }),
    );
    expect(e.code).toBe('ENCRYPTED_VALUE');
    expect(e.message).toMatch(/ENC\[/);
    expect(e).toMatchObject({ fileName: 'data/common.yaml', line: 18, column: 24 });
    const folded = 'k: >\n  ENC[PKCS7,MIIB\n  eQYJ]\n';
    expect(codeOf(() => setValue(folded, 'k', 'x'))).toBe('ENCRYPTED_VALUE');
  });
});

describe('paths', () => {
  const DOC = `image:
  repository: ghcr.io/acme/app
  tag: "1.0.0"
podAnnotations:
  prometheus.io/port: "9090"
  prometheus.io/scrape: "true"
"dotted.key": top
list:
  - name: a
    image: x:1
  - name: b
    image: y:1
matrix:
  - [1, 2]
  - [3, 4]
`;

  it('escapes dots', () => {
    expect(getValue(DOC, 'podAnnotations.prometheus\\.io/port')).toBe('9090');
    expect(getValue(DOC, 'dotted\\.key')).toBe('top');
    expect(getValue(DOC, ['podAnnotations', 'prometheus.io/scrape'])).toBe('true');
    const { text } = setValue(DOC, 'podAnnotations.prometheus\\.io/port', '9091');
    expect(text).toContain('  prometheus.io/port: "9091"\n');
  });

  it('indexes sequences and selects items by a field', () => {
    expect(getValue(DOC, 'list[1].image')).toBe('y:1');
    expect(getValue(DOC, 'matrix[1][0]')).toBe('3');
    expect(getValue(DOC, 'list[name=a].image')).toBe('x:1');
    const { text } = setValues(DOC, [
      { path: 'list[name=b].image', value: 'y:2' },
      { path: ['matrix', 0, 1], value: 20 },
    ]);
    expect(text).toContain('    image: y:2\n');
    expect(text).toContain('  - [1, 20]\n');
  });

  it('reads missing paths as undefined and refuses to create sequence items', () => {
    expect(getValue(DOC, 'list[5].image')).toBeUndefined();
    expect(getValue(DOC, 'list[name=zz].image')).toBeUndefined();
    expect(getValue(DOC, 'nope.deeper')).toBeUndefined();
    expect(codeOf(() => setValue(DOC, 'list[5].image', 'z'))).toBe('INDEX_OUT_OF_RANGE');
    expect(codeOf(() => setValue(DOC, 'list[name=zz].image', 'z'))).toBe('INDEX_OUT_OF_RANGE');
    expect(codeOf(() => setValue(DOC, 'new[0]', 'z'))).toBe('UNSUPPORTED');
  });

  it('refuses an ambiguous selector', () => {
    const twice = 'c:\n  - name: a\n    v: 1\n  - name: a\n    v: 2\n';
    expect(codeOf(() => setValue(twice, 'c[name=a].v', '3'))).toBe('NO_MATCHING_ITEM');
  });

  it('says so when a path runs through a scalar, with its position', () => {
    const e = errorOf(() => setValue('a: 3\nb: 4\n', 'b.c', 'x', { fileName: 'values.yaml' }));
    expect(e.code).toBe('PATH_THROUGH_SCALAR');
    expect(e.message).toBe('cannot set b.c: b is a scalar ("4"), not a mapping');
    expect(e).toMatchObject({ fileName: 'values.yaml', line: 2, column: 4 });
    expect(codeOf(() => getValue('a: 3\n', 'a.b'))).toBe('PATH_THROUGH_SCALAR');
    expect(codeOf(() => setValue('a: [1]\n', 'a.b', 'x'))).toBe('WRONG_COLLECTION');
    expect(codeOf(() => setValue('a: {b: 1}\n', 'a[0]', 'x'))).toBe('WRONG_COLLECTION');
  });

  it('refuses to overwrite a collection with a scalar', () => {
    expect(codeOf(() => setValue(DOC, 'image', 'nginx'))).toBe('NOT_A_SCALAR');
    expect(codeOf(() => getValue(DOC, 'list'))).toBe('NOT_A_SCALAR');
  });
});

describe('adding missing keys', () => {
  it('appends at the end of the top-level mapping, after trailing comments on that line', () => {
    const before = '# top\na: 1\nb: 2 # two\n\n# footer comment\n';
    const { text, changes } = setValue(before, 'c', 'three');
    expect(text).toBe('# top\na: 1\nb: 2 # two\nc: three\n\n# footer comment\n');
    expect(changes[0]).toMatchObject({ added: true, changed: true, previous: undefined, line: 4 });
  });

  it('appends at the end of a nested mapping with 2-space indentation', () => {
    const before = 'image:\n  repository: app\n  tag: "1"\nservice:\n  port: 80\n';
    expect(setValue(before, 'image.digest', 'sha256:abc').text).toBe(
      'image:\n  repository: app\n  tag: "1"\n  digest: sha256:abc\nservice:\n  port: 80\n',
    );
  });

  it("uses the file's 4-space indentation, also for new intermediate mappings", () => {
    const before = 'db:\n    host: x\n    pool:\n        min: 1\nother: 1\n';
    expect(setValue(before, 'db.pool.max', 10).text).toBe(
      'db:\n    host: x\n    pool:\n        min: 1\n        max: 10\nother: 1\n',
    );
    expect(setValue(before, 'db.replica.host', 'db2').text).toBe(
      'db:\n    host: x\n    pool:\n        min: 1\n    replica:\n        host: db2\nother: 1\n',
    );
    expect(setValue(before, 'cache.redis.url', 'redis://r').text).toBe(
      'db:\n    host: x\n    pool:\n        min: 1\nother: 1\ncache:\n    redis:\n        url: redis://r\n',
    );
  });

  it('keeps CRLF line endings and a file without a final line break', () => {
    expect(setValue('a:\r\n  b: 1\r\n', 'a.c', 'x').text).toBe('a:\r\n  b: 1\r\n  c: x\r\n');
    expect(setValue('a: 1', 'b', 'x').text).toBe('a: 1\nb: x');
    expect(setValue('a:\r\n  b: 1', 'a.c', 'x').text).toBe('a:\r\n  b: 1\r\n  c: x');
  });

  it('fills an empty value, or turns it into a mapping', () => {
    expect(setValue('a:\nb: 1\n', 'a', 'x').text).toBe('a: x\nb: 1\n');
    expect(setValue('a: # later\nb: 1\n', 'a', 'x').text).toBe('a: x # later\nb: 1\n');
    expect(setValue('a: # later\nb: 1\n', 'a.c', 'x').text).toBe('a: # later\n  c: x\nb: 1\n');
  });

  it('adds to flow mappings in flow style', () => {
    expect(setValue('m: {a: 1}\n', 'm.b', 'x y').text).toBe('m: {a: 1, b: x y}\n');
    expect(setValue('m: {}\n', 'm.b.c', 'v').text).toBe('m: {b: {c: v}}\n');
    expect(setValue('m: {a: 1}\n', 'm.url', 'http://x').text).toBe('m: {a: 1, url: "http://x"}\n');
  });

  it('starts an empty file, a bare document marker or a comment-only file', () => {
    expect(setValue('', 'a.b', 'x').text).toBe('a:\n  b: x\n');
    expect(setValue('---\n', 'a', 'x').text).toBe('---\na: x\n');
    expect(setValue('# nothing yet\n', 'a', 'x').text).toBe('# nothing yet\na: x\n');
  });

  it('quotes new keys that would not read back as strings', () => {
    expect(setValue('a: 1\n', 'on', 'x').text).toBe('a: 1\n"on": x\n');
    expect(setValue('a: 1\n', ['a: b'], 'x').text).toBe('a: 1\n"a: b": x\n');
  });
});

describe('anchors, aliases and merge keys', () => {
  const DOC = `base: &base
  image: app:1
  pullPolicy: IfNotPresent
version: &version "1.0"
prod: *base
staging:
  <<: *base
  replicas: 2
tags: [*version, latest]
`;

  it('edits the anchored node in place, which every alias then shares', () => {
    const { text } = setValue(DOC, 'base.image', 'app:2');
    expect(lineDiff(DOC, text)).toEqual({ removed: [2], added: [2] });
    const js = parseDocument(text, { version: '1.1' }).toJS() as Record<string, Record<string, unknown>>;
    expect(js.prod!.image).toBe('app:2');
    expect(js.staging!.image).toBe('app:2');
    const v = setValue(DOC, 'version', '1.1');
    expect(v.text).toContain('version: &version "1.1"\n');
  });

  it('refuses to edit through an alias and names the anchored path instead', () => {
    const e = errorOf(() => setValue(DOC, 'prod.image', 'app:3'));
    expect(e.code).toBe('ALIAS');
    expect(e.message).toContain('prod is an alias (*base)');
    expect(e.message).toContain('edit the anchored node at base instead');
    expect(e.line).toBe(5);
    expect(codeOf(() => setValue(DOC, 'tags[0]', '2.0'))).toBe('ALIAS');
    expect(errorOf(() => setValue(DOC, 'tags[0]', '2.0')).message).toContain('at version');
    expect(codeOf(() => getValue(DOC, 'prod.image'))).toBe('ALIAS');
  });

  it('reads through merge keys, and overrides a merged scalar with a local key', () => {
    expect(getValue(DOC, 'staging.image')).toBe('app:1');
    const { text, changes } = setValue(DOC, 'staging.image', 'app:9');
    expect(text).toBe(DOC.replace('  replicas: 2\n', '  replicas: 2\n  image: app:9\n'));
    expect(changes[0]).toMatchObject({ previous: 'app:1', added: true });
    const js = parseDocument(text, { version: '1.1' }).toJS() as Record<string, Record<string, unknown>>;
    expect(js.staging!.image).toBe('app:9');
    expect(js.base!.image).toBe('app:1');
  });

  it('refuses to shadow a merged mapping by adding part of it locally', () => {
    const nested = 'base: &b\n  image:\n    tag: 1\n    repo: r\ndev:\n  <<: *b\n';
    expect(codeOf(() => setValue(nested, 'dev.image.tag', '2'))).toBe('UNSUPPORTED');
  });
});

describe('multiple documents', () => {
  const STREAM = `apiVersion: v1
kind: ConfigMap
data:
  image: app:1
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: app:1
      containers:
        - name: app
          image: app:1
---
# empty third document
`;

  it('edits the addressed document only', () => {
    const { text, changes } = setValues(STREAM, [
      { path: 'spec.template.spec.containers[name=app].image', value: 'app:2', document: 1 },
    ]);
    expect(lineDiff(STREAM, text)).toEqual({ removed: [16], added: [16] });
    expect(changes[0]).toMatchObject({ document: 1, line: 16 });
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    expect(docs[0]).toEqual(parseAllDocuments(STREAM)[0]!.toJS());
  });

  it('defaults to the first document and refuses a document that is not there', () => {
    expect(getValue(STREAM, 'data.image')).toBe('app:1');
    expect(getValue(STREAM, 'kind', { document: 1 })).toBe('Deployment');
    const e = errorOf(() => setValues(STREAM, [{ path: 'a', value: 'x', document: 3 }], { fileName: 'k8s.yaml' }));
    expect(e.code).toBe('NO_SUCH_DOCUMENT');
    expect(e.message).toContain('has 3 document(s)');
  });

  it('finds scalars across documents, with paths that setValues accepts', () => {
    const images = findScalars(STREAM, (path) => path[path.length - 1] === 'image' && path.includes('spec'));
    expect(images.map((m) => [m.document, m.path, m.value, m.line])).toEqual([
      [1, ['spec', 'template', 'spec', 'initContainers', 0, 'image'], 'app:1', 13],
      [1, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'app:1', 16],
    ]);
    const { text } = setValues(
      STREAM,
      images.map((m) => ({ path: m.path, document: m.document, value: 'app:3' })),
    );
    expect(lineDiff(STREAM, text).added).toEqual([13, 16]);
    expect(findScalars(STREAM, (_p, v) => v === 'app:1')).toHaveLength(3);
  });

  it('does not report aliases or merged keys twice', () => {
    const doc = 'a: &x {image: one}\nb: *x\nc:\n  <<: *x\n';
    expect(findScalars(doc, () => true).map((m) => m.path)).toEqual([['a', 'image']]);
  });
});

describe('syntax errors', () => {
  const BROKEN = 'a: 1\nlist: [1, 2\nb: "open\n';

  it('are typed errors with file name, line and column', () => {
    const e = errorOf(() => setValues(BROKEN, [{ path: 'a', value: 'x' }], { fileName: 'hieradata/common.yaml' }));
    assert.instanceOf(e, YamlSyntaxError);
    const s = e;
    expect(s).toMatchObject({ code: 'SYNTAX', fileName: 'hieradata/common.yaml', line: 3, column: 1 });
    expect(s.problems.length).toBeGreaterThanOrEqual(1);
    expect(s.message).toMatch(/^YAML syntax error in hieradata\/common.yaml at line 3, column 1: /);
  });

  it('count columns after a BOM and on CRLF lines like an editor does', () => {
    const e = errorOf(() => getValue('\uFEFFa: 1\r\nb: @x\r\n', 'a', { fileName: 'f.yaml' }));
    expect(e).toMatchObject({ line: 2, column: 4 });
    expect(e).toMatchObject({ parserCode: 'BAD_SCALAR_START' });
    const atStart = errorOf(() => getValue('\uFEFF@x: 1\n', 'a'));
    expect(atStart).toMatchObject({ line: 1, column: 1 });
  });

  it('format as GitHub annotations', () => {
    const e = errorOf(() => setValues(BROKEN, [{ path: 'a', value: 'x' }], { fileName: 'data/a,b.yaml' }));
    expect(formatAnnotation(e)).toMatch(
      /^::error file=data\/a%2Cb.yaml,line=3,col=1::YAML syntax error in data\/a,b.yaml at line 3/,
    );
    expect(formatAnnotation(e, { fileName: 'x.yaml', level: 'warning' })).toMatch(
      /^::warning file=x.yaml,line=3,col=1::/,
    );
    expect(formatAnnotation(new Error('50% done\nnext'))).toBe('::error::50%25 done%0Anext');
  });
});

describe('batches', () => {
  it('apply in order and refuse as a whole', () => {
    const before = 'a: 1\nb: 2\n';
    expect(() =>
      setValues(before, [
        { path: 'a', value: 5 },
        { path: 'b.c', value: 1 },
      ]),
    ).toThrow(YamlEditError);
    const r = setValues(before, [
      { path: 'a', value: 5 },
      { path: 'a', value: 6 },
    ]);
    expect(r.text).toBe('a: 6\nb: 2\n');
    expect(r.changes.map((c) => c.previous)).toEqual(['1', '5']);
  });

  it('report the scalar style and explicit tags when read', () => {
    const s = getScalar("a: !!str 'x'\nb: |\n  t\n", 'a')!;
    expect(s).toMatchObject({ value: 'x', style: 'single', tag: 'tag:yaml.org,2002:str', line: 1, column: 10 });
    expect(getScalar("a: !!str 'x'\nb: |\n  t\n", 'b')).toMatchObject({ value: 't\n', style: 'literal' });
  });
});
