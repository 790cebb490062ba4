// Line charts of metric histories as inline SVG, with HTML axis labels and legend (SVG text would be
// stretched with the plot): no library, no canvas, nothing fetched. With a previous version, its
// history is drawn beside the new one, dashed, on the same axes.
import type { HistoryColumns } from './data.js';
import { h, metricName, section, srOnly, svg } from './dom.js';
import { formatValue, numericValue } from './format.js';

const W = 600;
const H = 160;
/** The data's min and max sit this far inside the plot, on the gridlines the labels name. */
const INSET = 8;

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

export interface SeriesLabels {
  current: string;
  /** The previous version's name in the legend, or null when there is none. */
  previous: string | null;
}

interface Series {
  label: string;
  cls: 'series-current' | 'series-previous';
  /** Finite points, sorted by x. */
  pts: XY[];
  count: number;
}

/** A history logged without steps (all 0) falls back to the order of logging. */
function logsSteps(history: HistoryColumns): boolean {
  return new Set(history.step).size >= history.step.length / 2;
}

function points(history: HistoryColumns, useIndex: boolean): XY[] {
  const pts: XY[] = [];
  for (let i = 0; i < history.step.length; i++) {
    const y = numericValue(history.value[i]);
    if (Number.isFinite(y)) pts.push({ x: useIndex ? i : history.step[i]!, y });
  }
  return pts.sort((a, b) => a.x - b.x);
}

/** The lowest and highest y (a loop: spreading 100,000 values into Math.min overflows the stack). */
function yRange(pts: XY[]): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of pts) {
    if (p.y < lo) lo = p.y;
    if (p.y > hi) hi = p.y;
  }
  return { lo, hi };
}

function describe(s: Series, useIndex: boolean): string {
  if (!s.pts.length) return `${s.label}: ${s.count} points, none finite`;
  const { lo, hi } = yRange(s.pts);
  const where = useIndex ? 'in logged order' : `steps ${s.pts[0]!.x} to ${s.pts.at(-1)!.x}`;
  const ends = `first ${formatValue(s.pts[0]!.y)}, last ${formatValue(s.pts.at(-1)!.y)}`;
  return `${s.label}: ${s.count} points, ${where}; ${ends}, lowest ${formatValue(lo)}, highest ${formatValue(hi)}`;
}

function chart(key: string, id: string, all: Series[], useIndex: boolean, hasRow: boolean): HTMLElement {
  const series = all.filter((s) => s.count > 0);
  const fig = h('figure', { class: 'chart', id });
  const back = h('a', { class: 'back' }, 'Back to the table', srOnly(` (${key})`));
  back.setAttribute('href', hasRow ? `#${id}-row` : '#metrics'); // ids made by this page, never data
  fig.append(h('figcaption', null, metricName(key), back));
  const drawn = series.filter((s) => s.pts.length);
  if (!drawn.length) {
    const n = series.reduce((k, s) => k + s.count, 0);
    fig.append(h('p', { class: 'muted' }, `${n} point${n === 1 ? '' : 's'}, none finite.`));
    return fig;
  }
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const s of drawn) {
    const { lo, hi } = yRange(s.pts);
    minX = Math.min(minX, s.pts[0]!.x);
    maxX = Math.max(maxX, s.pts.at(-1)!.x);
    minY = Math.min(minY, lo);
    maxY = Math.max(maxY, hi);
  }
  const sx = (x: number) => (maxX === minX ? W / 2 : ((x - minX) / (maxX - minX)) * W);
  const sy = (y: number) => (maxY === minY ? H / 2 : H - INSET - ((y - minY) / (maxY - minY)) * (H - 2 * INSET));
  const label = `${key}. ${series.map((s) => describe(s, useIndex)).join('. ')}.`;
  const gridAt = maxY === minY ? [H / 2] : [INSET, H / 2, H - INSET];
  const plot = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, class: 'plot' },
    svg('title', null, label),
    gridAt.map((y) =>
      svg('line', { class: 'grid', x1: 0, x2: W, y1: y, y2: y, 'vector-effect': 'non-scaling-stroke' }),
    ),
    // The previous version first, so the new one is drawn on top where they meet.
    [...drawn].reverse().map((s) =>
      s.pts.length === 1
        ? svg('circle', { class: `line-dot ${s.cls}`, cx: sx(s.pts[0]!.x), cy: sy(s.pts[0]!.y), r: 3 })
        : svg('polyline', {
            class: `line ${s.cls}`,
            points: downsample(s.pts, W)
              .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
              .join(' '),
            'vector-effect': 'non-scaling-stroke',
          }),
    ),
  );
  // The labels repeat what the SVG's label says, so assistive technology reads them once, there.
  const yAxis = h(
    'div',
    { class: 'y-axis', 'aria-hidden': 'true' },
    h('span', { class: 'y-max' }, formatValue(maxY)),
    maxY !== minY ? h('span', { class: 'y-min' }, formatValue(minY)) : null,
  );
  const xAxis = h(
    'div',
    { class: 'x-axis', 'aria-hidden': 'true' },
    h('span', { class: 'x-first' }, useIndex ? 'point 1' : `step ${minX}`),
    h('span', { class: 'x-last' }, useIndex ? `point ${maxX + 1}` : `step ${maxX}`),
  );
  if (all.length > 1) {
    fig.append(
      h(
        'ul',
        { class: 'legend', 'aria-label': 'Series' },
        all.map((s) =>
          h(
            'li',
            null,
            h('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }),
            s.count ? s.label : `${s.label} (no history)`,
          ),
        ),
      ),
    );
  }
  const cur = drawn.find((s) => s.cls === 'series-current');
  fig.append(h('div', { class: 'plot-area' }, yAxis, plot, xAxis));
  if (!cur) return fig;
  const { lo, hi } = yRange(cur.pts);
  const steps = useIndex ? String(cur.count) : `${cur.pts[0]!.x}–${cur.pts.at(-1)!.x}`;
  fig.append(
    h(
      'dl',
      { class: 'chart-facts' },
      h('div', null, h('dt', null, useIndex ? 'points' : 'steps'), h('dd', null, steps)),
      h('div', null, h('dt', null, 'last'), h('dd', null, formatValue(cur.pts.at(-1)!.y))),
      h('div', null, h('dt', null, 'min'), h('dd', null, formatValue(lo))),
      h('div', null, h('dt', null, 'max'), h('dd', null, formatValue(hi))),
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
export function renderCharts(
  histories: Record<string, HistoryColumns>,
  previous: Record<string, HistoryColumns> | null,
  labels: SeriesLabels,
  /** The metrics that have a row in the table, which each chart links back to. */
  rows: Set<string>,
): { el: HTMLElement | null; ids: Map<string, string>; fill: () => void } {
  const has = (m: Record<string, HistoryColumns> | null, k: string) => (m?.[k]?.step.length ?? 0) > 0;
  const keys = [...new Set([...Object.keys(histories), ...Object.keys(previous ?? {})])]
    .filter((k) => has(histories, k) || has(previous, k))
    .sort((a, b) => a.localeCompare(b));
  const ids = new Map<string, string>();
  keys.forEach((k, i) => ids.set(k, `chart-${i + 1}`));
  if (!keys.length) return { el: null, ids, fill: () => {} };
  const draw = (k: string) => {
    const empty: HistoryColumns = { step: [], value: [] };
    const cur = histories[k] ?? empty;
    const prev = previous ? (previous[k] ?? empty) : null;
    // Both series on one x axis: steps, unless either was logged without them.
    const useIndex = !logsSteps(cur) || (prev !== null && !logsSteps(prev));
    const series: Series[] = [
      { label: labels.current, cls: 'series-current', pts: points(cur, useIndex), count: cur.step.length },
    ];
    if (prev && labels.previous)
      series.push({
        label: labels.previous,
        cls: 'series-previous',
        pts: points(prev, useIndex),
        count: prev.step.length,
      });
    return chart(k, ids.get(k)!, series, useIndex, rows.has(k));
  };
  const box = h('div', { class: 'charts' });
  return {
    el: section('history', `Metric history (${keys.length})`, box),
    ids,
    fill: () => box.replaceChildren(...keys.map(draw)),
  };
}
