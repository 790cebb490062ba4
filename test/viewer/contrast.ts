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

const MEASURE = String.raw`(() => {
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
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
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
      color: 'rgb(' + fg.slice(0, 3).map(Math.round).join(',') + ')', background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')' });
  }
  return out;
})()`;

/** Every visible text element with its contrast ratio and the WCAG AA minimum for its size. */
export async function measureContrast(page: Page): Promise<ContrastFinding[]> {
  return page.evaluate<ContrastFinding[]>(MEASURE);
}
