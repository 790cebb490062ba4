// Readable contrast (WCAG 2.x AA: 4.5:1 for body text, 3:1 for large text) for every piece of text
// on the page, in the light and the dark scheme, with every kind of element present: badges,
// links, the metrics table, better/worse changes, charts, the empty states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { fileUrl, launchChromium, openPage } from './browser.js';
import { measureContrast, measureNonTextContrast } from './contrast.js';
import { bigMetadata, emptyMetadata, makeMetadata, previousWithHistories } from './fixtures.js';
import { buildViewer, expectSuccess } from './site.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const pages = {
  'a version with a previous one and histories': async () => {
    const current = makeMetadata({ metric_history: bigMetadata(3, 3, 50).metric_history });
    return buildViewer(current, {}, { previous: previousWithHistories(current) });
  },
  'an empty model': async () => buildViewer(emptyMetadata()),
};

describe('contrast', () => {
  for (const [name, build] of Object.entries(pages)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${name}, ${colorScheme}: every text meets WCAG AA`, async () => {
        const b = await build();
        expectSuccess(b);
        const { page } = await openPage(browser, fileUrl(b.site), { colorScheme });
        const found = await measureContrast(page);
        await page.context().close();
        // The page has text of every kind we check (this guards the measurement itself).
        expect(found.length).toBeGreaterThan(20);
        const failing = found.filter((f) => f.ratio < f.required);
        if (process.env.CONTRAST_REPORT)
          console.log(name, colorScheme, found.length, Math.min(...found.map((f) => f.ratio)));
        expect(failing, JSON.stringify(failing, null, 1)).toEqual([]);
      });

      it(`${name}, ${colorScheme}: control borders and chart lines stand out 3:1 (WCAG 1.4.11)`, async () => {
        const b = await build();
        expectSuccess(b);
        const { page } = await openPage(browser, fileUrl(b.site), { colorScheme });
        const found = await measureNonTextContrast(page);
        await page.context().close();
        if (process.env.CONTRAST_REPORT) console.log(name, colorScheme, JSON.stringify(found));
        if (name.includes('histories')) {
          // The measurement found what it is for: the filter, the select, the copy button, both series.
          expect(found.filter((f) => f.kind === 'control').length).toBeGreaterThanOrEqual(3);
          expect(found.filter((f) => f.selector.includes('series-previous')).length).toBeGreaterThan(0);
        }
        const failing = found.filter((f) => f.ratio < 3);
        expect(failing, JSON.stringify(failing, null, 1)).toEqual([]);
      });
    }
  }
});

describe('the contrast measurement itself', () => {
  it('agrees with known WCAG ratios, composites translucent layers, and flags a failing pair', async () => {
    const b = await buildViewer(emptyMetadata());
    expectSuccess(b);
    const { page } = await openPage(browser, fileUrl(b.site), { colorScheme: 'light' });
    await page.evaluate(`(() => {
      const add = (id, color, background, parent = document.body) => {
        const el = document.createElement('p');
        el.id = id; el.textContent = id; el.style.color = color; el.style.background = background;
        parent.appendChild(el);
        return el;
      };
      add('grey-767676', '#767676', '#ffffff');
      add('grey-777777', '#777777', '#ffffff');
      add('black-white', '#000', '#fff');
      const box = add('dark-box', '#fff', '#000');
      add('half-white-on-black', 'rgba(255,255,255,0.5)', 'transparent', box);
    })()`);
    const byId = Object.fromEntries((await measureContrast(page)).map((f) => [f.selector, f]));
    await page.context().close();
    expect(byId['p#grey-767676']!.ratio).toBeCloseTo(4.54, 1);
    expect(byId['p#grey-777777']!.ratio).toBeCloseTo(4.48, 1);
    expect(byId['p#grey-777777']!.ratio).toBeLessThan(byId['p#grey-777777']!.required);
    expect(byId['p#black-white']!.ratio).toBe(21);
    // 50% white over black is rgb(128,128,128): 5.32:1 against black.
    expect(byId['p#half-white-on-black']!.ratio).toBeCloseTo(5.32, 1);
  });

  it('measures a control by its border or fill, whichever stands out, and flags a faint one', async () => {
    const b = await buildViewer(emptyMetadata());
    expectSuccess(b);
    const { page } = await openPage(browser, fileUrl(b.site), { colorScheme: 'light' });
    await page.evaluate(`(() => {
      // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
      const add = (id, border, background) => {
        const el = document.createElement('input');
        el.id = id; el.style.border = border; el.style.background = background;
        document.body.appendChild(el);
      };
      add('faint-border', '1px solid #d5dae1', '#fff');
      add('grey-border', '1px solid #767676', '#fff');
      add('dark-fill', '0', '#000');
    })()`);
    const byId = Object.fromEntries((await measureNonTextContrast(page)).map((f) => [f.selector, f]));
    await page.context().close();
    expect(byId['input#faint-border']!.ratio).toBeCloseTo(1.42, 1);
    expect(byId['input#grey-border']!.ratio).toBeCloseTo(4.54, 1);
    expect(byId['input#dark-fill']!.ratio).toBe(21);
  });
});
