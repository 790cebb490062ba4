// The metrics table: sortable by any numeric column, filterable by name (and by verdict when a
// previous version is given). Built for thousands of rows: rows are made once and only moved or
// hidden afterwards.
import type { ViewerData } from './data.js';
import { DIRECTION_RULE, compareMetrics, countVerdicts, type MetricChange, type Verdict } from './compare.js';
import { h, metricName, section, srOnly } from './dom.js';
import { formatDelta, formatValue, numericValue, versionLabel } from './format.js';

interface Row {
  key: string;
  lower: string;
  value: number;
  previous: number;
  /** The change in the good direction, relative when possible: larger is better. */
  goodness: number;
  verdict: Verdict | null;
  tr: HTMLTableRowElement;
}

type SortKey = 'key' | 'value' | 'previous' | 'goodness';

/**
 * Rows in the DOM for the first paint. The table scrolls inside its box, so a reader sees about
 * 25 rows at first; laying out all of 1,000 would double the time to the first paint. The rest
 * are attached right after it (see finish()).
 */
const FIRST_ROWS = 40;

export interface MetricsSection {
  el: HTMLElement;
  /** Attaches the rows left out of the first paint. */
  finish(): void;
}

const VERDICT_TEXT: Record<Verdict, string> = {
  better: '▲ better',
  worse: '▼ worse',
  same: '= same',
  new: '+ new',
  removed: '− not logged now',
  incomparable: '≠ changed',
};

function cell(text: string, cls?: string): HTMLTableCellElement {
  return h('td', cls ? { class: cls } : null, text);
}

export function renderMetrics(data: ViewerData, chartIds: Map<string, string>): MetricsSection {
  const m = data.metadata;
  const prev = data.previous;
  const keys = Object.keys(m.metrics);
  if (!keys.length && !(prev && Object.keys(prev.metrics).length)) {
    return {
      el: section(
        'metrics',
        'Metrics',
        h(
          'p',
          { class: 'muted empty-metrics' },
          m.run ? 'The run logged no metrics.' : 'No metrics: this version has no run.',
        ),
      ),
      finish: () => {},
    };
  }
  const changes: MetricChange[] = prev
    ? compareMetrics(m.metrics, prev.metrics)
    : keys.map((k) => ({
        key: k,
        current: m.metrics[k],
        previous: undefined,
        delta: null,
        relative: null,
        direction: 'higher',
        verdict: 'new',
      }));
  const prevLabel = prev ? versionLabel(prev.version, prev.stage) : '';

  const headers: [string, SortKey | null, string][] = [
    ['Metric', 'key', ''],
    [prev ? `Version ${m.version}` : 'Value', 'value', 'num'],
  ];
  if (prev) headers.push([prevLabel, 'previous', 'num'], ['Change', 'goodness', 'num'], ['Verdict', null, '']);
  if (chartIds.size) headers.push(['History', null, '']);

  const rows: Row[] = changes.map((c) => {
    const chart = chartIds.get(c.key);
    const lower = c.direction === 'lower';
    // The arrow is glued to the name by a no-break space: it never wraps onto a line of its own.
    const better = `${c.direction} is better`;
    const dir = prev
      ? h('span', { class: 'dir', title: better }, lower ? '\u00a0↓' : '\u00a0↑', srOnly(` (${better})`))
      : null;
    const tr = h(
      'tr',
      { class: prev ? `v-${c.verdict}` : null, id: chart ? `${chart}-row` : null },
      h('th', { scope: 'row' }, metricName(c.key), dir),
      cell(c.current === undefined ? '—' : formatValue(c.current), 'num'),
    );
    if (prev) {
      tr.append(
        cell(formatValue(c.previous), 'num'),
        cell(
          c.delta !== null && c.verdict !== 'same'
            ? formatDelta(c.delta, c.relative)
            : c.verdict === 'same'
              ? '0'
              : '—',
          'num',
        ),
      );
      tr.append(h('td', null, h('span', { class: `verdict verdict-${c.verdict}` }, VERDICT_TEXT[c.verdict])));
    }
    if (chartIds.size) {
      const td = h('td');
      if (chart) {
        const a = h('a', null, 'chart', srOnly(` of ${c.key}`));
        a.setAttribute('href', `#${chart}`); // an id made by this page, never data
        td.append(a);
      }
      tr.append(td);
    }
    const sign = c.direction === 'lower' ? -1 : 1;
    const goodness = c.delta === null ? NaN : c.relative !== null ? sign * c.relative : sign * c.delta;
    return {
      key: c.key,
      lower: c.key.toLowerCase(),
      value: numericValue(c.current),
      previous: numericValue(c.previous),
      goodness,
      verdict: prev ? c.verdict : null,
      tr,
    };
  });

  const tbody = h('tbody');
  const ths: HTMLTableCellElement[] = [];
  let sort: { key: SortKey; dir: 1 | -1 } = { key: 'key', dir: 1 };
  let complete = rows.length <= FIRST_ROWS;
  const apply = () => {
    const { key, dir } = sort;
    const sorted = [...rows].sort((a, b) => {
      if (key === 'key') return dir * a.key.localeCompare(b.key);
      const x = a[key];
      const y = b[key];
      // Missing and NaN values go last whichever the direction.
      if (Number.isNaN(x) || Number.isNaN(y))
        return Number.isNaN(x) ? (Number.isNaN(y) ? a.key.localeCompare(b.key) : 1) : -1;
      return dir * (x - y) || a.key.localeCompare(b.key);
    });
    const frag = document.createDocumentFragment();
    for (const r of complete ? sorted : sorted.slice(0, FIRST_ROWS)) frag.append(r.tr);
    tbody.append(frag);
    headers.forEach(([, k], i) => {
      if (k) ths[i]!.setAttribute('aria-sort', k === key ? (dir === 1 ? 'ascending' : 'descending') : 'none');
    });
  };
  const headRow = h('tr');
  headers.forEach(([label, key, cls]) => {
    const th = h('th', { scope: 'col', class: cls || null });
    if (key) {
      const b = h(
        'button',
        { type: 'button', class: 'sort' },
        label,
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' }),
      );
      th.classList.add('sortable');
      b.addEventListener('click', () => {
        // Numbers start with the largest (best change first); names start with A.
        sort = sort.key === key ? { key, dir: sort.dir === 1 ? -1 : 1 } : { key, dir: key === 'key' ? 1 : -1 };
        apply();
      });
      th.append(b);
    } else th.append(label);
    ths.push(th);
    headRow.append(th);
  });

  const status = h('p', { class: 'muted filter-status', role: 'status', 'aria-live': 'polite' });
  const filter = h('input', {
    type: 'search',
    id: 'metric-filter',
    placeholder: 'e.g. loss',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const verdictSelect = prev
    ? h(
        'select',
        { id: 'metric-verdict' },
        h('option', { value: '' }, 'all'),
        (['worse', 'better', 'same', 'new', 'removed', 'incomparable'] as Verdict[]).map((v) =>
          h('option', { value: v }, VERDICT_TEXT[v].slice(2)),
        ),
      )
    : null;
  const refilter = () => {
    const q = filter.value.trim().toLowerCase();
    const v = verdictSelect?.value ?? '';
    let shown = 0;
    for (const r of rows) {
      const hide = (q !== '' && !r.lower.includes(q)) || (v !== '' && r.verdict !== v);
      if (r.tr.hidden !== hide) r.tr.hidden = hide;
      if (!hide) shown++;
    }
    status.textContent =
      shown === rows.length
        ? `${rows.length} metric${rows.length === 1 ? '' : 's'}`
        : `Showing ${shown} of ${rows.length} metrics`;
  };
  filter.addEventListener('input', refilter);
  verdictSelect?.addEventListener('change', refilter);

  const table = h(
    'table',
    { class: 'metrics' },
    h('caption', { class: 'sr-only' }, 'Metrics; select a column heading to sort'),
    h('thead', null, headRow),
    tbody,
  );
  apply();
  refilter();

  const wrap = h('div', { class: 'table-wrap tall' }, table);
  const hint = h(
    'p',
    { class: 'muted scroll-hint', hidden: true },
    'The table scrolls sideways: the metric names stay in view.',
  );
  // Says so only when the columns are wider than the screen (a phone); checked again on resize.
  const showHint = () => {
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (hint.hidden === scrolls) hint.hidden = !scrolls;
  };
  addEventListener('resize', showHint);
  const counts = prev ? countVerdicts(changes) : null;
  const el = section(
    'metrics',
    `Metrics (${keys.length})`,
    prev && counts
      ? h(
          'div',
          { class: 'compare-note' },
          h(
            'p',
            null,
            `Compared with ${prev.model_name === m.model_name ? '' : `${prev.model_name} `}${prevLabel}: `,
            h('strong', { class: 'verdict-better' }, `${counts.better} better`),
            ', ',
            h('strong', { class: 'verdict-worse' }, `${counts.worse} worse`),
            `, ${counts.same} unchanged, ${counts.new} new, ${counts.removed} no longer logged.`,
          ),
          h('p', { class: 'muted' }, DIRECTION_RULE),
        )
      : null,
    !keys.length ? h('p', { class: 'muted empty-metrics' }, 'This version logged no metrics.') : null,
    h(
      'div',
      { class: 'filters' },
      // Each label and its control are one unit that wraps as a whole: a label never ends a line alone.
      h('div', { class: 'field' }, h('label', { for: 'metric-filter' }, 'Filter by name'), filter),
      verdictSelect ? h('div', { class: 'field' }, h('label', { for: 'metric-verdict' }, 'Show'), verdictSelect) : null,
      status,
    ),
    hint,
    wrap,
  );
  return {
    el,
    finish: () => {
      showHint();
      if (complete) return;
      complete = true;
      apply();
    },
  };
}
