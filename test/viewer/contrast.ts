// WCAG 2.x contrast of every piece of text a reader sees, measured in the page: the text's colour
// and the backgrounds behind it (semi-transparent layers composited up to an opaque one) are
// resolved to sRGB through a canvas, so any CSS colour syntax the stylesheet uses is handled.
import type { Page } from 'playwright-core';

export interface ContrastFinding {
  text: string;
  selector: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
}

// Colour helpers shared by both measurements: CSS colour to sRGB through a canvas, compositing,
// relative luminance, and the opaque background behind an element.
const HELPERS = String.raw`
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const lum = ([r, g, b]) => {
    const c = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1]; // the canvas behind everything
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const describe = (el) =>
    el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const ratioOf = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  };
  const css = (c) => 'rgb(' + c.slice(0, 3).map(Math.round).join(',') + ')';
`;

const MEASURE = String.raw`(() => {
  ${HELPERS}
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (rect.width <= 1 || rect.height <= 1 || style.visibility !== 'visible' || el.closest('[hidden]')) continue;
    const isSvg = el instanceof SVGElement;
    const bg = background(isSvg ? el.ownerSVGElement.parentElement : el);
    const fg = over(rgba(isSvg && style.fill !== 'none' ? style.fill : style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    out.push({ text: own.slice(0, 40), selector: describe(el), ratio: Math.round(ratio * 100) / 100, required: large ? 3 : 4.5,
      color: 'rgb(' + fg.slice(0, 3).map(Math.round).join(',') + ')',
      background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')' });
  }
  return out;
})()`;

/** Every visible text element with its contrast ratio and the WCAG AA minimum for its size. */
export async function measureContrast(page: Page): Promise<ContrastFinding[]> {
  return page.evaluate<ContrastFinding[]>(MEASURE);
}

export interface NonTextFinding {
  /** `control` (its border or fill against what is behind it) or `chart` (a line or swatch). */
  kind: 'control' | 'chart';
  selector: string;
  ratio: number;
  color: string;
  background: string;
}

const MEASURE_NON_TEXT = String.raw`(() => {
  ${HELPERS}
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    // A horizontal gridline's box has no height: one side is enough.
    return (r.width > 0 || r.height > 0) && getComputedStyle(el).visibility === 'visible' && !el.closest('[hidden]');
  };
  const out = [];
  // A control is seen by its border or by its fill, whichever stands out more from what is behind
  // it; a control with neither (a heading's sort button) is seen by its text, measured as text.
  for (const el of document.querySelectorAll('input, select, textarea, button')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const behind = background(el.parentElement);
    const fill = over(rgba(s.backgroundColor), behind);
    const hasBorder = parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none' && rgba(s.borderTopColor)[3] > 0;
    if (!hasBorder && rgba(s.backgroundColor)[3] === 0) continue;
    const border = hasBorder ? over(rgba(s.borderTopColor), behind) : fill;
    const color = ratioOf(border, behind) >= ratioOf(fill, behind) ? border : fill;
    const ratio = ratioOf(color, behind);
    out.push({ kind: 'control', selector: describe(el), ratio, color: css(color), background: css(behind) });
  }
  // Chart lines against the chart's background; legend swatches against theirs.
  for (const el of document.querySelectorAll('svg.plot .line, svg.plot .line-dot, svg.plot .grid, .swatch')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const isSvg = el instanceof SVGElement;
    const behind = background(isSvg ? el.ownerSVGElement.parentElement : el.parentElement);
    const paint = isSvg ? (el.tagName === 'circle' ? s.fill : s.stroke) : s.borderTopColor;
    const color = over(rgba(paint), behind);
    const ratio = ratioOf(color, behind);
    out.push({ kind: 'chart', selector: describe(el), ratio, color: css(color), background: css(behind) });
  }
  return out;
})()`;

/** Every visible control with a border or fill, and every chart line, with its contrast (WCAG 1.4.11 asks 3:1). */
export async function measureNonTextContrast(page: Page): Promise<NonTextFinding[]> {
  return page.evaluate<NonTextFinding[]>(MEASURE_NON_TEXT);
}
