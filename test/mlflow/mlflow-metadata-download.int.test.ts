import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCuttingProxy } from '../helpers/fault-proxy.js';
import { runActionBundle } from '../helpers/run-action.js';
import {
  makeModelFiles,
  mlflowCliDownload,
  seedArtifacts,
  treeBytes,
  treeDigest,
  type ArtifactSeed,
} from './artifacts-fixture.js';

const { python, plain, auth } = inject('mlflow');
const work = mkdtempSync(join(tmpdir(), 'mm-download-'));
let seed: ArtifactSeed;
let source: string;
let cliTree: Record<string, string>;

beforeAll(async () => {
  source = join(work, 'source');
  makeModelFiles(source, { bigBytes: 40 << 20, smallFiles: 40 });
  seed = await seedArtifacts(python, plain.url, source, 'action-download-model', join(work, 'seed.json'));
  const cli = await mlflowCliDownload(
    python,
    plain.url,
    `models:/${seed.model_name}/${seed.versions.logged_model}`,
    join(work, 'cli'),
  );
  // The CLI writes registered_model_meta itself; it is not one of the model's files.
  cliTree = Object.fromEntries(Object.entries(await treeDigest(cli)).filter(([f]) => f !== 'registered_model_meta'));
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const inputs = (dir: string, extra: Record<string, string> = {}) => ({
  'tracking-uri': plain.url,
  'model-name': seed.model_name,
  'model-version': seed.versions.logged_model,
  'output-file': join(dir, 'model_metadata.json'),
  'download-dir': join(dir, 'model'),
  ...extra,
});

describe('mlflow-metadata with download-dir (the committed bundle)', () => {
  it('downloads the version the metadata names, byte-identical to mlflow artifacts download, with outputs and summary', async () => {
    const dir = mkdtempSync(join(work, 'ok-'));
    const run = await runActionBundle('mlflow-metadata', inputs(dir), { cwd: dir });
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(await treeDigest(join(dir, 'model'))).toEqual(cliTree);
    expect(run.outputs['download-dir']).toBe(join(dir, 'model'));
    expect(run.outputs['files-downloaded']).toBe(String(Object.keys(cliTree).length));
    expect(run.outputs['bytes-downloaded']).toBe(String(treeBytes(source)));
    expect(run.outputs['model-version']).toBe(seed.versions.logged_model);
    expect(existsSync(join(dir, 'model_metadata.json'))).toBe(true);
    expect(run.summary).toContain('### Model files');
    expect(run.summary).toContain(`${Object.keys(cliTree).length} files`);
    expect(run.summary).toContain('`data/nested/deeper/weights.bin`');
  });

  it('a download-dir with files in it is an input error before any call, and nothing is written', async () => {
    const dir = mkdtempSync(join(work, 'busy-'));
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'old.bin'), 'x');
    const run = await runActionBundle('mlflow-metadata', inputs(dir, { 'tracking-uri': 'http://127.0.0.1:9' }), {
      cwd: dir,
    });
    expect(run.code).not.toBe(0);
    expect(run.errors).toEqual([
      `mlflow-metadata: input 'download-dir' ('${join(dir, 'model')}') already holds files: name a new directory, or remove it first`,
    ]);
    expect(readdirSync(dir).sort()).toEqual(['model']);
  });

  it('basic credentials reach the artifact proxy as they reach the REST API', async () => {
    const authSource = join(work, 'auth-src');
    makeModelFiles(authSource, { bigBytes: 1 << 20, smallFiles: 3 });
    const s = await seedArtifacts(
      python,
      auth.url,
      authSource,
      'action-guarded-model',
      join(work, 'auth-seed.json'),
      auth.admin,
    );
    const dir = mkdtempSync(join(work, 'auth-'));
    const run = await runActionBundle(
      'mlflow-metadata',
      inputs(dir, { 'tracking-uri': auth.url, 'model-name': s.model_name, 'model-version': s.versions.logged_model }),
      {
        cwd: dir,
        env: { MLFLOW_TRACKING_USERNAME: auth.admin.username, MLFLOW_TRACKING_PASSWORD: auth.admin.password },
      },
    );
    expect(run.errors).toEqual([]);
    expect(await treeDigest(join(dir, 'model'))).toEqual(await treeDigest(authSource));
    expect(run.masked).toContain(auth.admin.password);
    // Masked first, then never printed again.
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))).not.toContainEqual(
      expect.stringContaining(auth.admin.password),
    );
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'a job cancelled mid-download (%s) leaves no directory behind',
    async (signal) => {
      let child: import('node:child_process').ChildProcess | undefined;
      const proxy = await startCuttingProxy(
        new URL(plain.url),
        (path) => (path.endsWith('weights.bin') ? 2 << 20 : undefined),
        // The large file is in the middle of its transfer: that is when the runner cancels.
        { stall: true, onCut: () => child?.kill(signal) },
      );
      const dir = mkdtempSync(join(work, `cancel-${signal}-`));
      try {
        const run = await runActionBundle('mlflow-metadata', inputs(dir, { 'tracking-uri': proxy.url }), {
          cwd: dir,
          onSpawn: (c) => (child = c),
        });
        expect(proxy.cuts.length).toBeGreaterThan(0);
        expect(run.code).not.toBe(0);
        expect(run.errors).toEqual([
          `mlflow-metadata: the download was stopped by ${signal}; nothing was left in download-dir`,
        ]);
        expect(readdirSync(dir)).toEqual([]); // not even the metadata file: the step failed
      } finally {
        await proxy.close();
      }
    },
  );

  it('after a SIGKILL (no chance to clean up) the next download removes what the killed one left', async () => {
    let child: import('node:child_process').ChildProcess | undefined;
    const proxy = await startCuttingProxy(
      new URL(plain.url),
      (path) => (path.endsWith('weights.bin') ? 2 << 20 : undefined),
      { stall: true, onCut: () => child?.kill('SIGKILL') },
    );
    const dir = mkdtempSync(join(work, 'killed-'));
    try {
      await runActionBundle('mlflow-metadata', inputs(dir, { 'tracking-uri': proxy.url }), {
        cwd: dir,
        onSpawn: (c) => (child = c),
      });
      expect(existsSync(join(dir, 'model'))).toBe(false); // never a half-filled download-dir
      expect(readdirSync(dir).some((e) => e.startsWith('.model.partial-'))).toBe(true);
      const again = await runActionBundle('mlflow-metadata', inputs(dir), { cwd: dir });
      expect(again.errors).toEqual([]);
      expect(await treeDigest(join(dir, 'model'))).toEqual(cliTree);
      expect(readdirSync(dir).filter((e) => e.startsWith('.'))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
