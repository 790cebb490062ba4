// End to end: the real seeded MLflow server -> the mlflow-metadata bundle -> the build-viewer
// bundle -> the page in headless Chromium, as a deploy workflow chains them.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ModelMetadata } from '../../packages/model-metadata/src/types.js';
import { runActionBundle } from '../helpers/run-action.js';
import { SCREENSHOTS, fileUrl, launchChromium, openPage, serveDir } from '../viewer/browser.js';

const { plain } = inject('mlflow');
const prod = plain.seed.prod_model;
const hist = plain.seed.history_model;

let browser: Browser;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium(); // installs Debian's chromium when missing
}, 900_000);
afterAll(async () => browser?.close());

async function metadata(cwd: string, inputs: Record<string, string>): Promise<ModelMetadata> {
  const r = await runActionBundle('mlflow-metadata', { 'tracking-uri': plain.url, ...inputs }, { cwd });
  expect(r.errors, r.stdout).toEqual([]);
  return JSON.parse(readFileSync(r.outputs['metadata-file']!, 'utf8')) as ModelMetadata;
}

describe('viewer of a model read from the real MLflow server', () => {
  it('the champion against the version in production', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'viewer-e2e-'));
    const current = await metadata(cwd, {
      'model-name': prod.name,
      'model-alias': 'champion',
      'output-file': 'new.json',
    });
    const previous = await metadata(cwd, {
      'model-name': prod.name,
      'model-stage': 'Production',
      'output-file': 'prod.json',
    });
    const built = await runActionBundle(
      'build-viewer',
      { 'metadata-file': 'new.json', 'previous-metadata-file': 'prod.json', 'output-dir': 'site' },
      { cwd },
    );
    expect(built.errors, built.stdout).toEqual([]);
    expect(built.outputs.files).toBe('4');
    const site = join(cwd, 'site');
    const server = await serveDir(site);
    try {
      for (const url of [fileUrl(site), server.url]) {
        const { page, watch } = await openPage(browser, url);
        expect(await page.locator('h1').innerText()).toBe(prod.name);
        expect(await page.locator('.badges').innerText()).toContain(`Version ${current.version}`);
        expect(await page.locator('.badges').innerText()).toContain('@champion');
        expect(await page.locator('#run dl.facts').innerText()).toContain(current.run!.git_commit!.slice(0, 12));
        expect(
          await page.locator('nav.mlflow-links a', { hasText: `Version ${current.version}` }).getAttribute('href'),
        ).toBe(current.links.model_version);
        const rows = await page.locator('#metrics tbody .metric-name').allInnerTexts();
        expect(new Set(rows)).toEqual(new Set([...Object.keys(current.metrics), ...Object.keys(previous.metrics)]));
        expect(await page.locator('.compare-note').innerText()).toContain(`Compared with Version ${previous.version}`);
        expect(watch.errors).toEqual([]);
        expect(watch.dialogs).toEqual([]);
        expect(watch.foreign).toEqual([]);
        if (url.startsWith('file:')) {
          await page.screenshot({ path: join(SCREENSHOTS, 'e2e-mlflow-light.png'), fullPage: true });
          await page.emulateMedia({ colorScheme: 'dark' });
          await page.screenshot({ path: join(SCREENSHOTS, 'e2e-mlflow-dark.png'), fullPage: true });
        }
        await page.context().close();
      }
    } finally {
      await server.close();
    }
  });

  it('metric histories: 50 metrics x 1,000 steps as charts', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'viewer-e2e-'));
    const m = await metadata(cwd, { 'model-name': hist.name, 'model-version': hist.version, 'metric-history': 'all' });
    expect(Object.keys(m.metric_history)).toHaveLength(hist.metrics);
    const built = await runActionBundle('build-viewer', {}, { cwd });
    expect(built.errors, built.stdout).toEqual([]);
    const { page, watch } = await openPage(browser, fileUrl(join(cwd, 'model-viewer-dist')));
    expect(await page.locator('#history figure').count()).toBe(hist.metrics);
    expect(await page.locator('#metrics tbody tr').count()).toBe(Object.keys(m.metrics).length);
    expect(watch.errors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'e2e-mlflow-history.png') });
    await page.context().close();
  });
});
