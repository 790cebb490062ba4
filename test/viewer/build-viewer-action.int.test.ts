// The committed bundle as the runner runs it: outputs, summary, the site's files, bad inputs.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';
import { emptyMetadata, makeMetadata, previousMetadata, tempDir, writeMetadata } from './fixtures.js';
import { buildViewer, expectSuccess, type Built } from './site.js';

function siteFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? siteFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

/** One error line naming the file, exit 1, and no site (nor a temporary directory) left behind. */
function expectRefused(b: Built, pattern: RegExp): string {
  expect(b.run.code).toBe(1);
  expect(b.run.errors).toHaveLength(1);
  expect(b.run.errors[0]).toMatch(/^build-viewer: /);
  expect(b.run.errors[0]).toMatch(pattern);
  expect(b.run.stdout + b.run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(existsSync(b.site)).toBe(false);
  expect(readdirSync(b.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  expect(b.run.outputs).toEqual({});
  return b.run.errors[0]!;
}

describe('build-viewer: the site', () => {
  it('writes index.html, content-hashed assets and model_metadata.json, with outputs and a summary', async () => {
    const m = makeMetadata();
    const b = await buildViewer(m, {}, { previous: previousMetadata(m) });
    expectSuccess(b);
    const files = siteFiles(b.site);
    expect(files).toHaveLength(4);
    expect(files).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^assets\/app-[0-9a-f]{8,}\.css$/),
        expect.stringMatching(/^assets\/app-[0-9a-f]{8,}\.js$/),
        'index.html',
        'model_metadata.json',
      ]),
    );
    expect(readFileSync(join(b.site, 'model_metadata.json'), 'utf8')).toBe(
      readFileSync(join(b.dir, 'model_metadata.json'), 'utf8'),
    );
    const bytes = files.reduce((n, f) => n + statSync(join(b.site, f)).size, 0);
    expect(b.run.outputs).toEqual({ 'output-dir': b.site, files: '4', bytes: String(bytes) });
    expect(statSync(b.site).mode & 0o777).toBe(0o755);
    const html = readFileSync(join(b.site, 'index.html'), 'utf8');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self';`,
    );
    expect(html).toMatch(/<script src="assets\/app-[0-9a-f]+\.js" defer><\/script>/);
    expect(html).not.toMatch(/<script>|\sstyle=|\son\w+=/); // no inline script, style or handler
    expect(b.run.summary).toContain('### Model viewer: `prod-recommendation-engine` version 3');
    expect(b.run.summary).toContain('2 better, 1 worse, 1 unchanged, 1 new, 1 no longer logged.');
    expect(b.run.summary).toMatch(/\| val\\_loss \| 0\.2011 \| 0\.2311 \| \+0\.03 \(\+14\.9%\) \| 🔻 worse \|/);
    expect(b.run.ms).toBeLessThan(3000);
  });

  it('weighs at most 60 KB gzipped without its data (page shell, script, stylesheet)', async () => {
    const b = await buildViewer(makeMetadata());
    expectSuccess(b);
    const island = /(<script type="application\/json" id="model-data">)[\s\S]*?(<\/script>)/;
    const shell = readFileSync(join(b.site, 'index.html'), 'utf8').replace(island, '$1$2');
    const assets = readdirSync(join(b.site, 'assets')).map((f) => readFileSync(join(b.site, 'assets', f)));
    const gz = (data: Buffer) => gzipSync(data, { level: 9 }).length;
    const total = gz(Buffer.from(shell)) + assets.reduce((n, a) => n + gz(a), 0);
    console.log(`page weight without data: ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(assets).toHaveLength(2);
    expect(total).toBeLessThanOrEqual(60 * 1024);
  });

  it('builds a page for a version without run or metrics', async () => {
    const b = await buildViewer(emptyMetadata());
    expectSuccess(b);
    expect(b.run.outputs.files).toBe('4');
  });

  it('replaces an earlier build in place, without clean', async () => {
    const b = await buildViewer(makeMetadata());
    expectSuccess(b);
    const again = await runActionBundle('build-viewer', { 'output-dir': 'site', title: 'Again' }, { cwd: b.dir });
    expect(again.errors).toEqual([]);
    expect(readFileSync(join(b.site, 'index.html'), 'utf8')).toContain('<title>Again</title>');
    expect(readdirSync(b.dir).sort()).toEqual(['model_metadata.json', 'site']);
  });

  it('refuses a directory holding other files unless clean: true', async () => {
    const dir = tempDir();
    writeMetadata(makeMetadata(), dir);
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'notes.txt'), 'mine');
    const refused = await runActionBundle('build-viewer', { 'output-dir': 'site' }, { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.errors).toEqual([
      `build-viewer: input 'output-dir' ('site') already holds other files ('notes.txt'): choose an empty directory, ` +
        'or set clean: true to replace its contents',
    ]);
    expect(readdirSync(join(dir, 'site'))).toEqual(['notes.txt']);
    const cleaned = await runActionBundle('build-viewer', { 'output-dir': 'site', clean: 'true' }, { cwd: dir });
    expect(cleaned.errors).toEqual([]);
    expect(readdirSync(join(dir, 'site')).sort()).toEqual(['assets', 'index.html', 'model_metadata.json']);
  });

  it('never replaces the working directory or a directory holding the input, even with clean', async () => {
    const dir = tempDir();
    writeMetadata(makeMetadata(), dir);
    for (const out of ['.', '..']) {
      const r = await runActionBundle('build-viewer', { 'output-dir': out, clean: 'true' }, { cwd: dir });
      expect(r.errors).toEqual([
        expect.stringContaining(`input 'output-dir' ('${out}') is the working directory or holds it`),
      ]);
    }
    mkdirSync(join(dir, 'in'));
    writeMetadata(makeMetadata(), join(dir, 'in'));
    const r = await runActionBundle(
      'build-viewer',
      { 'metadata-file': 'in/model_metadata.json', 'output-dir': 'in', clean: 'true' },
      { cwd: dir },
    );
    expect(r.errors).toEqual([expect.stringContaining(`holds the input file`)]);
    expect(readdirSync(join(dir, 'in'))).toEqual(['model_metadata.json']);
  });
});

describe('build-viewer: bad input', () => {
  it('a missing metadata file', async () => {
    const dir = tempDir();
    const r = await runActionBundle('build-viewer', {}, { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      `build-viewer: input 'metadata-file': '${join(dir, 'model_metadata.json')}' does not exist: run mlflow-metadata ` +
        'first, or set metadata-file',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('malformed JSON, with its line and column', async () => {
    const b = await buildViewer('{\n  "schema_version": 1,\n  "model_name": "m",,\n}\n');
    const e = expectRefused(
      b,
      /input 'metadata-file': '.*model_metadata\.json' is not valid JSON at line 3, column 21/,
    );
    expect(b.run.annotations[0]!.props).toMatchObject({
      file: join(b.dir, 'model_metadata.json'),
      line: '3',
      col: '21',
    });
    expect(e).not.toContain('\n');
  });

  it('an empty file', async () => {
    expectRefused(await buildViewer(''), /model_metadata\.json' is empty$/);
  });

  it('metadata that fails the schema names the first problem with its JSON path', async () => {
    const m = makeMetadata() as unknown as { run: Record<string, unknown> };
    m.run.start_time = 'yesterday';
    expectRefused(
      await buildViewer(JSON.stringify(m)),
      /model_metadata\.json' is not valid model metadata: \$\.run\.start_time must be integer,null$/,
    );
    const n = makeMetadata() as unknown as Record<string, unknown>;
    delete n.metrics;
    expectRefused(
      await buildViewer(JSON.stringify(n)),
      /is not valid model metadata: \$ must have required property 'metrics'$/,
    );
    expectRefused(
      await buildViewer(JSON.stringify({ ...makeMetadata(), schema_version: 2 })),
      /has schema_version 2; this build-viewer reads schema_version 1/,
    );
    expectRefused(await buildViewer('[1, 2]'), /is not valid model metadata: \$ must be object$/);
  });

  it('a bad previous-metadata-file is named as such', async () => {
    const dir = tempDir();
    writeMetadata(makeMetadata(), dir);
    writeMetadata('{"schema_version": 1}', dir, 'prev.json');
    const r = await runActionBundle(
      'build-viewer',
      { 'previous-metadata-file': 'prev.json', 'output-dir': 'site' },
      { cwd: dir },
    );
    expect(r.errors).toEqual([
      expect.stringMatching(
        /^build-viewer: input 'previous-metadata-file': '.*prev\.json' is not valid model metadata: \$ must have required property/,
      ),
    ]);
    expect(existsSync(join(dir, 'site'))).toBe(false);
  });

  it('reports every bad input at once', async () => {
    const dir = tempDir();
    const r = await runActionBundle(
      'build-viewer',
      { clean: 'yes', 'base-path': 'https://cdn.test/x', title: 'a\u0007b', 'previous-metadata-file': 'nope.json' },
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringContaining(`input 'metadata-file'`),
      expect.stringContaining(`input 'previous-metadata-file'`),
      `build-viewer: input 'title' must be one line of at most 200 characters`,
      `build-viewer: input 'base-path' must be a URL path such as /model-viewer/3/ (no host, no '..'), got 'https://cdn.test/x'`,
      `build-viewer: input 'clean' must be true or false, got 'yes'`,
    ]);
    expect(r.ms).toBeLessThan(1000);
  });
});
