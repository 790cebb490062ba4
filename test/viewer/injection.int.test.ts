// Registry data is text, never markup: in real Chromium nothing in a description, tag, param,
// metric name, link or title runs script, and all of it shows literally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fileUrl, launchChromium, openPage, serveDir, SCREENSHOTS } from './browser.js';
import { makeMetadata } from './fixtures.js';
import { buildViewer, expectSuccess } from './site.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const SCRIPT = '<script>window.__pwned = "script"; alert("script")</script>';
const IMG = "<img src=x onerror=\"window.__pwned = 'img'; alert('img')\">";
const CLOSE = '</script><script>window.__pwned = "close"; alert("close")</script>';
const SVG = '<svg onload="window.__pwned=\'svg\'">';

function hostile() {
  const m = makeMetadata({
    model_name: `evil ${SCRIPT}`,
    description: [
      `Plain ${SCRIPT} and ${IMG}`,
      '',
      '[click me](javascript:window.__pwned="link";alert("link")) and <javascript:alert(1)> and ' +
        '[data](data:text/html,<script>alert(1)</script>)',
      '',
      `\`code ${CLOSE}\``,
      '',
      '<iframe src="javascript:alert(1)"></iframe>',
      '',
      `- ${IMG}`,
      '',
      '```html',
      CLOSE,
      '```',
    ].join('\n'),
    tags: { [`tag ${IMG}`]: `value ${SCRIPT}`, closer: CLOSE },
    params: { [SVG]: CLOSE, lr: '0.01' },
    metrics: { [`metric ${IMG}`]: 0.5, [`m ${CLOSE}`]: 1, accuracy: 0.9 },
    model_version_tags: { note: IMG },
    source_artifact_uri: `s3://b/"><img src=x onerror="window.__pwned='src'">`,
    aliases: ['champion'],
  });
  m.run!.run_name = `run ${SCRIPT}`;
  m.run!.user_id = IMG;
  m.run!.git_commit = CLOSE;
  m.registered_model.description = `model ${SCRIPT}`;
  // The schema lets any http(s) URL through: quotes and markup must stay inside the href.
  m.links.run = `https://mlflow.test/"><img src=x onerror="window.__pwned='href'">`;
  m.metric_history = {
    [`metric ${IMG}`]: [
      { step: 0, timestamp: 0, value: 1 },
      { step: 1, timestamp: 1, value: 0.5 },
    ],
  };
  return m;
}

describe('hostile metadata', () => {
  it('runs no script, opens no dialog and shows every value as text (file:// and http)', async () => {
    const b = await buildViewer(hostile(), { title: `T </title>${SCRIPT}` });
    expectSuccess(b);
    const html = readFileSync(join(b.site, 'index.html'), 'utf8');
    // Exactly two <script> elements: the app and the JSON island; no `</script>` before the island ends.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('\\u003c/script\\u003e');
    const server = await serveDir(b.site);
    try {
      for (const url of [fileUrl(b.site), server.url]) {
        const { page, watch } = await openPage(browser, url);
        await page.waitForTimeout(300); // time for any onerror/onload to fire
        expect(await page.evaluate<string | undefined>('window.__pwned')).toBeUndefined();
        expect(watch.dialogs).toEqual([]);
        expect(watch.errors).toEqual([]);
        expect(watch.foreign).toEqual([]);
        expect(await page.title()).toBe(`T </title>${SCRIPT}`);
        expect(await page.locator('h1').innerText()).toBe(`T </title>${SCRIPT}`);
        // No element came from the data: no img, iframe, svg other than charts, and two scripts.
        expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
        expect(await page.locator('script').count()).toBe(2);
        expect(await page.locator('svg:not(.plot)').count()).toBe(0);
        // Every link is http(s), an in-page anchor (a chart, its row, the table) or the metadata file.
        const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|#chart-\d+(-row)?$|#metrics$|model_metadata\.json$)/);
        expect(hrefs).toContain(`https://mlflow.test/%22%3E%3Cimg%20src=x%20onerror=%22window.__pwned='href'%22%3E`);
        const body = await page.locator('body').innerText();
        for (const s of [
          SCRIPT,
          IMG,
          CLOSE,
          SVG,
          '[click me](javascript:window.__pwned="link";alert("link"))',
          '[data](data:text/html,<script>alert(1)</script>)',
          '<iframe src="javascript:alert(1)"></iframe>',
          '<javascript:alert(1)>',
        ]) {
          expect(body).toContain(s.replace(/^<javascript:alert\(1\)>$/, 'javascript:alert(1)'));
        }
        expect(await page.locator('#description a').count()).toBe(0); // javascript: and data: links are text
        expect(await page.locator('#description pre code').innerText()).toBe(CLOSE);
        expect(await page.locator('#metrics tbody .metric-name').allInnerTexts()).toEqual(
          expect.arrayContaining([`metric ${IMG}`, `m ${CLOSE}`]),
        );
        expect(await page.inputValue('#source-uri')).toBe(`s3://b/"><img src=x onerror="window.__pwned='src'">`);
        if (url.startsWith('file:'))
          await page.screenshot({ path: join(SCREENSHOTS, 'injection.png'), fullPage: true });
        await page.context().close();
      }
    } finally {
      await server.close();
    }
  });

  it('the Content-Security-Policy stops script that got into the page anyway', async () => {
    // Defence in depth: even if a future change let markup through, an inline script or handler is refused.
    const b = await buildViewer(makeMetadata());
    expectSuccess(b);
    const { page, watch } = await openPage(browser, fileUrl(b.site));
    // A string, not a function: it runs in the page, and this file is type-checked without the DOM library.
    await page.evaluate(`{
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = "inline"';
      document.body.append(s);
      const d = document.createElement('div');
      d.innerHTML = '<img src="data:," onerror="window.__pwned = \\'handler\\'">';
      document.body.append(d);
    }`);
    await page.waitForTimeout(300);
    expect(await page.evaluate<string | undefined>('window.__pwned')).toBeUndefined();
    expect(watch.console.some((c) => c.includes('Content Security Policy'))).toBe(true);
    await page.context().close();
  });
});
