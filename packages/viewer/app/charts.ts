// Line charts of metric histories as inline SVG: no library, no canvas, nothing fetched.
import type { HistoryColumns } from './data.js';
import { h, section, svg } from './dom.js';
import { formatValue, numericValue } from './format.js';

const W = 600;
const H = 160;

interface XY {
  x: number;
  y: number;
}

/**
 * At most two points (the lowest and the highest) per horizontal pixel column: the line looks
 * exactly the same, and a 100,000-step history stays a few KB of DOM.
 */
export function downsample(points: XY[], columns: number): XY[] {
  if (points.length <= columns * 2) return points;
  const x0 = points[0]!.x;
  const span = points.at(-1)!.x - x0 || 1;
  const out: XY[] = [];
  let col = -1;
  let lo: XY | null = null;
  let hi: XY | null = null;
  const flush = () => {
    if (lo && hi) out.push(...(lo === hi ? [lo] : lo.x <= hi.x ? [lo, hi] : [hi, lo]));
  };
  for (const p of points) {
    const c = Math.min(columns - 1, Math.floor(((p.x - x0) / span) * columns));
    if (c !== col) {
      flush();
      col = c;
      lo = hi = p;
    } else {
      if (p.y < lo!.y) lo = p;
      if (p.y > hi!.y) hi = p;
    }
  }
  flush();
  return out;
}

function chart(key: string, id: string, history: HistoryColumns): HTMLElement {
  // Steps are the x axis; a history logged without steps (all 0) falls back to the order of logging.
  const count = history.step.length;
  const useIndex = new Set(history.step).size < count / 2;
  const pts: XY[] = [];
  for (let i = 0; i < count; i++) {
    const y = numericValue(history.value[i]!);
    if (Number.isFinite(y)) pts.push({ x: useIndex ? i : history.step[i]!, y });
  }
  pts.sort((a, b) => a.x - b.x);
  const fig = h('figure', { class: 'chart', id });
  const caption = h('figcaption', null, h('span', { class: 'metric-name' }, key));
  fig.append(caption);
  if (!pts.length) {
    fig.append(h('p', { class: 'muted' }, `${count} point${count === 1 ? '' : 's'}, none finite.`));
    return fig;
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of pts) {
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  const minX = pts[0]!.x;
  const maxX = pts.at(-1)!.x;
  const sx = (x: number) => (maxX === minX ? W / 2 : ((x - minX) / (maxX - minX)) * W);
  const pad = (maxY - minY) * 0.06 || Math.abs(maxY) * 0.1 || 1;
  const sy = (y: number) => H - ((y - (minY - pad)) / (maxY - minY + 2 * pad)) * H;
  const line = downsample(pts, W)
    .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
    .join(' ');
  const first = pts[0]!.y;
  const last = pts.at(-1)!.y;
  const label = `${key}: ${count} points, ${useIndex ? 'in logged order' : `steps ${minX} to ${maxX}`}; first ${formatValue(first)}, last ${formatValue(last)}, lowest ${formatValue(minY)}, highest ${formatValue(maxY)}`;
  fig.append(
    svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, class: 'plot' },
      svg('title', null, label),
      [0.25, 0.5, 0.75].map((f) => svg('line', { class: 'grid', x1: 0, x2: W, y1: H * f, y2: H * f, 'vector-effect': 'non-scaling-stroke' })),
      pts.length === 1
        ? svg('circle', { class: 'line-dot', cx: sx(minX), cy: sy(first), r: 3 })
        : svg('polyline', { class: 'line', points: line, 'vector-effect': 'non-scaling-stroke' }),
    ),
    h(
      'dl',
      { class: 'chart-facts' },
      h('div', null, h('dt', null, useIndex ? 'points' : 'steps'), h('dd', null, useIndex ? String(count) : `${minX}–${maxX}`)),
      h('div', null, h('dt', null, 'last'), h('dd', null, formatValue(last))),
      h('div', null, h('dt', null, 'min'), h('dd', null, formatValue(minY))),
      h('div', null, h('dt', null, 'max'), h('dd', null, formatValue(maxY))),
    ),
  );
  return fig;
}

/**
 * The charts section (or null when there is no history), the id of each chart by metric, and
 * `fill()`, which draws the charts into it. The section sits below the metrics table, out of the
 * first screen, so the page draws it after its first paint (see main.ts): twenty charts of a
 * thousand points would otherwise hold that paint back by their layout.
 */
export function renderCharts(histories: Record<string, HistoryColumns>): { el: HTMLElement | null; ids: Map<string, string>; fill: () => void } {
  const keys = Object.keys(histories)
    .filter((k) => histories[k]!.step.length > 0)
    .sort((a, b) => a.localeCompare(b));
  const ids = new Map<string, string>();
  keys.forEach((k, i) => ids.set(k, `chart-${i + 1}`));
  if (!keys.length) return { el: null, ids, fill: () => {} };
  const box = h('div', { class: 'charts' });
  return {
    el: section('history', `Metric history (${keys.length})`, box),
    ids,
    fill: () => box.replaceChildren(...keys.map((k) => chart(k, ids.get(k)!, histories[k]!))),
  };
}
