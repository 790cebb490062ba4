// The page on a phone and on a desktop, in real Chromium: no sideways page scroll, the metric names
// stay in view while the table scrolls, labels stay beside their controls, axe finds nothing, and
// control borders and chart lines stand out 3:1. Screenshots go to .test-output/viewer/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatValue } from '../../packages/viewer/app/format.js';
import { runAxe } from './axe.js';
import { SCREENSHOTS, fileUrl, launchChromium, openPage } from './browser.js';
import { measureNonTextContrast } from './contrast.js';
import { bigMetadata, makeMetadata, previousWithHistories } from './fixtures.js';
import { buildViewer, expectSuccess, type Built } from './site.js';

let browser: Browser;
const sites: Record<'with a previous version' | 'alone', Built> = {} as never;
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  const big = bigMetadata(1000, 20, 200);
  sites['with a previous version'] = await buildViewer(big, {}, { previous: previousWithHistories(big) });
  sites.alone = await buildViewer(big);
  for (const b of Object.values(sites)) expectSuccess(b);
});
afterAll(async () => browser?.close());

const HEIGHT = { 320: 640, 390: 844, 1280: 900 } as const;

/** Where the first row's name cell is after the table is scrolled to its last column. */
interface TableScroll {
  scrolled: number;
  overflows: boolean;
  lastColumnInView: boolean;
  nameInBox: boolean;
  nameOnTop: boolean;
}

async function scrollTableToEnd(page: Page): Promise<TableScroll> {
  return page.evaluate<TableScroll>(`(() => {
    const wrap = document.querySelector('#metrics .table-wrap');
    wrap.scrollLeft = wrap.scrollWidth;
    const box = wrap.getBoundingClientRect();
    const lastHead = document.querySelector('#metrics thead th:last-child').getBoundingClientRect();
    const name = document.querySelector('#metrics tbody tr th');
    name.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    wrap.scrollLeft = wrap.scrollWidth;
    const r = name.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
    return {
      scrolled: wrap.scrollLeft,
      overflows: wrap.scrollWidth > wrap.clientWidth,
      lastColumnInView: lastHead.right <= box.right + 1,
      nameInBox: r.left >= box.left - 1 && r.right <= box.right + 1,
      nameOnTop: !!hit && name.contains(hit),
    };
  })()`);
}

/** Each label's middle lies within its control's height: they share a line. */
async function labelsBesideControls(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('.filters label[for]')].flatMap((label) => {
    const control = document.getElementById(label.htmlFor);
    const l = label.getBoundingClientRect();
    const c = control.getBoundingClientRect();
    const mid = l.top + l.height / 2;
    return mid >= c.top && mid <= c.bottom ? [] : [label.textContent + ' is not on its control\\'s line'];
  })`);
}

describe('phone and desktop layouts, 1,000 metrics', () => {
  for (const width of [320, 390, 1280] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const which of ['with a previous version', 'alone'] as const) {
        it(`${width} px, ${colorScheme}, ${which}`, async () => {
          const { page, watch } = await openPage(browser, fileUrl(sites[which].site), {
            colorScheme,
            viewport: { width, height: HEIGHT[width] },
          });
          // The page never pans sideways: only the table's own box scrolls.
          expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(width);
          expect(await labelsBesideControls(page)).toEqual([]);
          const violations = await runAxe(page);
          expect(violations.passes).toBeGreaterThan(10);
          expect(violations.violations, JSON.stringify(violations.violations, null, 1)).toEqual([]);
          const nonText = await measureNonTextContrast(page);
          expect(nonText.filter((f) => f.kind === 'chart').length).toBeGreaterThanOrEqual(
            20 * (which === 'alone' ? 4 : 5),
          );
          expect(
            nonText.filter((f) => f.ratio < 3),
            JSON.stringify(nonText.filter((f) => f.ratio < 3)),
          ).toEqual([]);
          const t = await scrollTableToEnd(page);
          // On a phone the five columns of a comparison are wider than the screen: the case this is about.
          if (width < 1280 && which !== 'alone') expect(t.overflows, 'the table is wider than its box here').toBe(true);
          if (t.overflows) expect(t.scrolled).toBeGreaterThan(0);
          expect(t).toMatchObject({ lastColumnInView: true, nameInBox: true, nameOnTop: true });
          expect(await page.locator('.scroll-hint').isVisible()).toBe(t.overflows);
          expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(width);
          expect(watch.errors).toEqual([]);
          await page.context().close();
        });
      }
    }
  }

  it('breaks names after _ / . only, and keeps the direction arrow on the name’s last line', async () => {
    const names = ['recall_at_10/val.micro', 'a_very_long_metric_name_for_a_narrow_phone'];
    const m = makeMetadata({ metrics: Object.fromEntries(names.map((n, i) => [n, i])) });
    const b = await buildViewer(m, {}, { previous: previousWithHistories(m) });
    expectSuccess(b);
    const { page } = await openPage(browser, fileUrl(b.site), { viewport: { width: 320, height: 640 } });
    // The text of each line of a name cell, read from the rectangles of its characters.
    const lines = await page.evaluate<string[][]>(`[...document.querySelectorAll('#metrics tbody th')].map((th) => {
      const skipHidden = { acceptNode: (n) => (n.parentElement.closest('.sr-only') ? 2 : 1) };
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT, skipHidden);
      // Characters in reading order; one whose middle lies below the current line's box starts the next line.
      const lines = [];
      let bottom = -Infinity;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (let i = 0; i < n.length; i++) {
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 1);
          const rect = range.getClientRects()[0];
          if (!rect) continue;
          if (rect.top + rect.height / 2 > bottom) {
            lines.push('');
            bottom = rect.bottom;
          }
          lines[lines.length - 1] += n.data[i];
        }
      }
      return lines;
    })`);
    const wrapped = lines.filter((l) => l.length > 1);
    expect(wrapped.length, JSON.stringify(lines)).toBeGreaterThan(0);
    for (const l of lines) {
      for (const line of l.slice(0, -1)) expect(line, JSON.stringify(l)).toMatch(/[_/.]$/);
      expect(l.at(-1), JSON.stringify(l)).toMatch(/[^\s]\u00a0[↑↓]$/);
    }
    await page.context().close();
  });
});

describe('charts', () => {
  it('draw both versions with a legend; the axes name the data’s min and max, first and last step', async () => {
    const current = makeMetadata({ metric_history: bigMetadata(3, 3, 120).metric_history });
    const previous = previousWithHistories(current);
    const b = await buildViewer(current, {}, { previous });
    expectSuccess(b);
    const { page } = await openPage(browser, fileUrl(b.site));
    const figs = page.locator('#history figure');
    expect(await figs.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const fig = figs.nth(i);
      const key = await fig.locator('figcaption .metric-name').innerText();
      const values = [...current.metric_history[key]!, ...previous.metric_history[key]!].map((p) => p.value as number);
      const steps = [...current.metric_history[key]!, ...previous.metric_history[key]!].map((p) => p.step);
      expect(await fig.locator('polyline.series-current').count()).toBe(1);
      expect(await fig.locator('polyline.series-previous').count()).toBe(1);
      expect(await fig.locator('.legend li').allInnerTexts()).toEqual(['Version 3', 'Version 2 (Archived)']);
      expect(await fig.locator('.y-max').innerText()).toBe(formatValue(Math.max(...values)));
      expect(await fig.locator('.y-min').innerText()).toBe(formatValue(Math.min(...values)));
      expect(await fig.locator('.x-first').innerText()).toBe(`step ${Math.min(...steps)}`);
      expect(await fig.locator('.x-last').innerText()).toBe(`step ${Math.max(...steps)}`);
      // The previous version's line is shorter (80% of the steps): it ends left of the new one's.
      const lastX = (cls: string) =>
        fig
          .locator(`polyline.${cls}`)
          .evaluate((l) => Number(l.getAttribute('points')!.split(' ').at(-1)!.split(',')[0]));
      expect(await lastX('series-previous')).toBeLessThan(await lastX('series-current'));
      expect(await fig.locator('svg').getAttribute('aria-label')).toContain('Version 2 (Archived): 96 points');
    }
    await page.context().close();
  });

  it('a chart reached from the table is marked, and links back to its row', async () => {
    const current = bigMetadata(3, 3, 50);
    const b = await buildViewer(current, {}, { previous: previousWithHistories(current) });
    expectSuccess(b);
    const { page } = await openPage(browser, fileUrl(b.site));
    await page.locator('#metrics tbody tr', { hasText: 'class_0001_accuracy' }).locator('a').click();
    const target = page.locator('.chart:target');
    expect(await target.count()).toBe(1);
    expect(await target.locator('figcaption .metric-name').innerText()).toBe('class_0001_accuracy');
    // Strings, not functions: this file is type-checked without the DOM library.
    const outline = (sel: string) =>
      page.evaluate<string>(`getComputedStyle(document.querySelector('${sel}')).outlineStyle`);
    expect(await outline('.chart:target')).toBe('solid');
    expect(await outline('.chart:not(:target)')).toBe('none');
    await target.locator('a.back').click();
    expect(await page.locator('.chart:target').count()).toBe(0);
    expect(await page.locator('#metrics tr:target .metric-name').innerText()).toBe('class_0001_accuracy');
    expect(await page.locator('#metrics tr:target').isVisible()).toBe(true);
    await page.context().close();
  });
});

describe('controls', () => {
  it('sortable headings show a sort mark, the others none', async () => {
    const m = makeMetadata({ metric_history: bigMetadata(3, 3, 20).metric_history });
    const b = await buildViewer(m, {}, { previous: previousWithHistories(m) });
    const { page } = await openPage(browser, fileUrl(b.site));
    const marks = await page.evaluate<
      [string, string | null][]
    >(`[...document.querySelectorAll('#metrics thead th')].map((th) => {
      const mark = th.querySelector('.sort-mark');
      return [th.textContent, mark ? getComputedStyle(mark, '::after').content : null];
    })`);
    expect(marks).toEqual([
      ['Metric', '"▲"'],
      ['Version 3', '"↕"'],
      ['Version 2 (Archived)', '"↕"'],
      ['Change', '"↕"'],
      ['Verdict', null],
      ['History', null],
    ]);
    await page.context().close();
  });

  for (const how of ['the clipboard API', 'the selection, without the clipboard API'] as const) {
    it(`Copy keeps the focus on its button (${how})`, async () => {
      const b = await buildViewer(makeMetadata());
      const { page } = await openPage(browser, fileUrl(b.site));
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      if (how !== 'the clipboard API')
        await page.evaluate(`Object.defineProperty(navigator, 'clipboard', { value: undefined })`);
      await page.focus('button.copy');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.copy-status').innerText()).toBe('Copied');
      expect(await page.evaluate<string>('document.activeElement.className')).toBe('copy');
      if (how === 'the clipboard API') {
        expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
          'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts/model',
        );
      }
      await page.context().close();
    });
  }
});

describe('screenshots', () => {
  it('phone and desktop, light and dark', async () => {
    const current = makeMetadata({ metric_history: bigMetadata(3, 3, 300).metric_history });
    current.metrics = { ...current.metrics, 'recall_at_10/validation.micro_avg': 0.71 };
    const b = await buildViewer(current, {}, { previous: previousWithHistories(current) });
    expectSuccess(b);
    for (const [device, viewport] of [
      ['phone', { width: 390, height: 844 }],
      ['desktop', { width: 1280, height: 900 }],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page } = await openPage(browser, fileUrl(b.site), { colorScheme, viewport });
        await page.screenshot({ path: join(SCREENSHOTS, `${device}-${colorScheme}.png`), fullPage: true });
        if (device === 'phone') {
          await page.evaluate(`document.querySelector('#metrics .table-wrap').scrollLeft = 10000`);
          await page
            .locator('#metrics')
            .screenshot({ path: join(SCREENSHOTS, `${device}-${colorScheme}-table-scrolled.png`) });
        }
        await page.context().close();
      }
    }
  });
});
