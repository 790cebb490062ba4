// What a reader sees, in real headless Chromium, from disk (file://) and from a static server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SCREENSHOTS, fileUrl, launchChromium, openPage, serveDir, type PageWatch } from './browser.js';
import { bigMetadata, emptyMetadata, makeMetadata, previousMetadata } from './fixtures.js';
import { buildViewer, expectSuccess } from './site.js';

let browser: Browser;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const text = (page: Page, sel: string) => page.locator(sel).first().innerText();
const texts = (page: Page, sel: string) => page.locator(sel).allInnerTexts();

/** Nothing failed, nothing was refused by the CSP, nothing was fetched from elsewhere. */
function expectClean(watch: PageWatch): void {
  expect(watch.errors).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.foreign).toEqual([]);
  expect(watch.console.filter((c) => /Content Security Policy|Refused|error/i.test(c))).toEqual([]);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('a typical version', () => {
  it('shows the model, run, links, description, metrics, params and tags from disk and from a server', async () => {
    const b = await buildViewer(makeMetadata());
    expectSuccess(b);
    const server = await serveDir(b.site);
    try {
      for (const url of [fileUrl(b.site), server.url]) {
        const { page, watch } = await openPage(browser, url);
        expect(await text(page, 'h1')).toBe('prod-recommendation-engine');
        expect(await page.title()).toBe('prod-recommendation-engine · version 3');
        expect(await texts(page, '.badges li')).toEqual(
          ['Version 3', 'Stage: Production', 'Alias: @champion'].map(
            (s) => expect.stringContaining(s.replace('Alias: ', '')) as unknown,
          ),
        );
        // Markdown: strong, a list, a code span, an http(s) link.
        expect(await text(page, '#description .markdown strong')).toBe('items');
        expect(await page.locator('#description .markdown li').count()).toBe(2);
        expect(await page.locator('#description .markdown a').getAttribute('href')).toBe('https://example.test/doc');
        const facts = await page.locator('#run dl.facts').innerText();
        for (const s of [
          'recommendations',
          'nightly-2026-11-20',
          'FINISHED',
          'alice',
          '0123456789ab',
          '2026-11-20 09:30:00 UTC',
          '12 min 34 s',
        ])
          expect(facts).toContain(s);
        const links = await page
          .locator('nav.mlflow-links a')
          .evaluateAll((as) => as.map((a) => [a.textContent, (a as unknown as { href: string }).href]));
        expect(links).toEqual([
          ['Registered model', 'http://mlflow.example.test:5000/#/models/prod-recommendation-engine'],
          ['Version 3', 'http://mlflow.example.test:5000/#/models/prod-recommendation-engine/versions/3'],
          ['Run', 'http://mlflow.example.test:5000/#/experiments/1/runs/a1b2c3d4e5f6'],
          ['Experiment', 'http://mlflow.example.test:5000/#/experiments/1'],
        ]);
        expect(await page.inputValue('#source-uri')).toBe('mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts/model');
        expect(await texts(page, '#metrics tbody th .metric-name')).toEqual([
          'accuracy',
          'f1',
          'latency_ms',
          'rmse',
          'val_loss',
        ]);
        expect(await texts(page, '#params tbody th')).toEqual(['epochs', 'lr', 'optimizer']);
        expect(await text(page, '#tags tbody')).toContain('clicks-2026-11');
        expect(await page.locator('#history').count()).toBe(0);
        expectClean(watch);
        await page.context().close();
      }
      // The page asked the server for its own files only.
      expect(new Set(server.requests)).toEqual(
        new Set([
          '/',
          expect.stringMatching(/^\/assets\/app-[0-9a-f]{8,}\.js$/),
          expect.stringMatching(/^\/assets\/app-[0-9a-f]{8,}\.css$/),
        ]),
      );
    } finally {
      await server.close();
    }
  });

  it('copies the artifact source', async () => {
    const b = await buildViewer(makeMetadata());
    const server = await serveDir(b.site);
    try {
      const { page } = await openPage(browser, server.url);
      await page
        .context()
        .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
      await page.click('button.copy');
      await expect.poll(() => text(page, '.copy-status')).toBe('Copied');
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
        'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts/model',
      );
      await page.context().close();
    } finally {
      await server.close();
    }
  });

  it('looks right in light and dark, and on a phone', async () => {
    const b = await buildViewer(
      makeMetadata({ metric_history: bigMetadata(3, 3, 300).metric_history }),
      {},
      { previous: previousMetadata(makeMetadata()) },
    );
    expectSuccess(b);
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, watch } = await openPage(browser, fileUrl(b.site), { colorScheme });
      const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(bg).toBe(colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(15, 18, 22)');
      await shoot(page, `typical-${colorScheme}`);
      expectClean(watch);
      await page.context().close();
    }
    const { page } = await openPage(browser, fileUrl(b.site), { viewport: { width: 390, height: 844 } });
    // Nothing but the tables' own scroll boxes is wider than the phone.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shoot(page, 'typical-phone');
    await page.context().close();
  });
});

describe('1,000 metrics with 20 histories of 1,000 points', () => {
  it('renders fast, and the table sorts and filters', async () => {
    const b = await buildViewer(bigMetadata(1000, 20, 1000));
    expectSuccess(b);
    expect(b.run.ms).toBeLessThan(5000);
    const { page, watch } = await openPage(browser, fileUrl(b.site));
    const renderMs = Number(await page.evaluate<string>('document.documentElement.dataset.renderMs'));
    console.log(`1,000-metric page: rendered in ${renderMs} ms (action ${Math.round(b.run.ms)} ms)`);
    expect(renderMs).toBeLessThan(1000); // the goal (300 ms) is measured by bench/build-viewer
    expect(await page.locator('#metrics tbody tr').count()).toBe(1000);
    expect(await text(page, '#metrics h2')).toBe('Metrics (1000)');
    expect(await page.locator('#history figure').count()).toBe(20);
    // Each chart is one line of at most two points per pixel column.
    const points = await page
      .locator('#history polyline')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute('points')!.split(' ').length));
    expect(points).toHaveLength(20);
    for (const n of points) expect(n).toBeGreaterThan(100);
    for (const n of points) expect(n).toBeLessThanOrEqual(1200);

    await page.fill('#metric-filter', 'loss');
    expect(await text(page, '.filter-status')).toBe('Showing 334 of 1000 metrics');
    expect(await page.locator('#metrics tbody tr:visible').count()).toBe(334);
    await page.fill('#metric-filter', 'layer_0003_');
    expect(await texts(page, '#metrics tbody tr:visible th .metric-name')).toEqual(['layer_0003_loss']);
    await page.fill('#metric-filter', '');

    // Sort by value: largest first, then smallest first.
    await page.click('#metrics thead th:nth-child(2) button');
    expect(await page.locator('#metrics thead th:nth-child(2)').getAttribute('aria-sort')).toBe('descending');
    const top = await page.locator('#metrics tbody tr td.num').first().innerText();
    await page.click('#metrics thead th:nth-child(2) button');
    const bottom = await page.locator('#metrics tbody tr td.num').first().innerText();
    expect(Number(top)).toBeGreaterThanOrEqual(0.99);
    expect(Number(bottom)).toBe(0);
    // A chart link leads to its chart.
    await page.fill('#metric-filter', 'layer_0000_loss');
    await page.click('#metrics tbody tr:visible a');
    const hash = await page.evaluate<string>('location.hash');
    expect(await page.locator(`${hash} figcaption .metric-name`).innerText()).toBe('layer_0000_loss');
    expectClean(watch);
    await page.fill('#metric-filter', '');
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot(page, 'big-1000-metrics');
    await page.context().close();
  });
});

describe('an empty model', () => {
  it('says there are no metrics, no run and no description', async () => {
    const b = await buildViewer(emptyMetadata());
    expectSuccess(b);
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, watch } = await openPage(browser, fileUrl(b.site), { colorScheme });
      expect(await text(page, '#metrics')).toContain('No metrics: this version has no run.');
      expect(await text(page, '#run')).toContain('This version was registered without a run.');
      expect(await text(page, '#description')).toContain('This version has no description.');
      expect(await text(page, '#params')).toContain('The run logged no parameters.');
      expect(await text(page, '#source')).toContain('MLflow records no source');
      expect(await page.locator('table.metrics').count()).toBe(0);
      expect(await texts(page, '.badges li')).toEqual(['Version 1', 'Stage: None']);
      expect(await page.locator('nav.mlflow-links a').count()).toBe(2);
      expectClean(watch);
      await shoot(page, `empty-${colorScheme}`);
      await page.context().close();
    }
  });
});

describe('with a previous version', () => {
  it('shows every change, better and worse, and filters by verdict', async () => {
    const current = makeMetadata();
    const b = await buildViewer(current, {}, { previous: previousMetadata(current) });
    expectSuccess(b);
    const { page, watch } = await openPage(browser, fileUrl(b.site));
    const note = await text(page, '.compare-note');
    expect(note).toContain(
      'Compared with Version 2 (Archived): 2 better, 1 worse, 1 unchanged, 1 new, 1 no longer logged.',
    );
    expect(note).toContain('Lower is better when a metric');
    const verdicts = Object.fromEntries(
      await page
        .locator('#metrics tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.querySelector('.metric-name')!.textContent, tr.querySelector('.verdict')!.textContent]),
        ),
    );
    expect(verdicts).toEqual({
      accuracy: '▲ better',
      latency_ms: '▲ better',
      val_loss: '▼ worse',
      rmse: '= same',
      f1: '+ new',
      retired_metric: '− not logged now',
    });
    const valLoss = await page.locator('#metrics tbody tr', { hasText: 'val_loss' }).innerText();
    expect(valLoss).toContain('+0.03 (+14.9%)');
    await page.selectOption('#metric-verdict', 'worse');
    expect(await texts(page, '#metrics tbody tr:visible th .metric-name')).toEqual(['val_loss']);
    await page.selectOption('#metric-verdict', '');
    expectClean(watch);
    await shoot(page, 'previous-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, 'previous-dark');
    await page.context().close();
  });
});

describe('base-path', () => {
  it('loads the assets from the path the site is served under', async () => {
    const b = await buildViewer(makeMetadata(), {
      'base-path': '/model-viewer/3',
      'output-dir': 'root/model-viewer/3',
    });
    expectSuccess(b);
    const server = await serveDir(join(b.dir, 'root'));
    try {
      const { page, watch } = await openPage(browser, `${server.url}model-viewer/3/`);
      expect(await text(page, 'h1')).toBe('prod-recommendation-engine');
      expect(server.requests.some((r) => /^\/model-viewer\/3\/assets\/app-[0-9a-f]+\.js$/.test(r))).toBe(true);
      expectClean(watch);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});
