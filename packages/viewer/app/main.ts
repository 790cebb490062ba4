// The viewer's entry: reads the data island and builds the page. Runs as a classic deferred script
// (module scripts are refused on file:// pages), with nothing fetched: the data is in the page.
import type { ViewerData } from './data.js';
import { h } from './dom.js';
import { versionLabel } from './format.js';
import { renderCharts } from './charts.js';
import { renderMetrics } from './metrics-table.js';
import { renderDescription, renderFooter, renderHeader, renderKeyValues, renderRun, renderSource } from './sections.js';

/** Builds the page; returns what is left to do after the first paint. */
function render(root: HTMLElement, data: ViewerData): () => void {
  const m = data.metadata;
  const prev = data.previous;
  const labels = { current: `Version ${m.version}`, previous: prev ? versionLabel(prev.version, prev.stage) : null };
  const rows = new Set([...Object.keys(m.metrics), ...Object.keys(prev?.metrics ?? {})]);
  const charts = renderCharts(data.histories, prev?.histories ?? null, labels, rows);
  const metrics = renderMetrics(data, charts.ids);
  const main = [
    renderDescription(m),
    renderRun(m),
    metrics.el,
    charts.el,
    renderKeyValues('params', 'Parameters', m.params, 'The run logged no parameters.', ['Parameter', 'Value']),
    renderKeyValues('tags', 'Run tags', m.tags, 'The run has no tags (MLflow’s own mlflow.* tags are left out).', [
      'Tag',
      'Value',
    ]),
    Object.keys(m.model_version_tags).length
      ? renderKeyValues('version-tags', 'Version tags', m.model_version_tags, '', ['Tag', 'Value'])
      : null,
    renderSource(m),
  ];
  root.replaceChildren(
    renderHeader(data),
    h(
      'div',
      { class: 'sections' },
      main.filter((x) => x !== null),
    ),
    renderFooter(data),
  );
  return () => {
    metrics.finish();
    charts.fill();
  };
}

function start(): void {
  const t0 = performance.now();
  const root = document.getElementById('app')!;
  let finish = () => {};
  try {
    const island = document.getElementById('model-data');
    const data = JSON.parse(island?.textContent ?? 'null') as ViewerData;
    finish = render(root, data);
  } catch (e) {
    root.replaceChildren(
      h('p', { class: 'error', role: 'alert' }, `This page could not show its data: ${(e as Error).message}`),
    );
  }
  // Read by the tests and the benchmark: the time from script start to the first screen's DOM.
  document.documentElement.dataset.renderMs = (performance.now() - t0).toFixed(1);
  // After the first frame is painted: the rest of a long table, then the page is complete.
  requestAnimationFrame(() =>
    setTimeout(() => {
      finish();
      root.removeAttribute('aria-busy');
      document.documentElement.dataset.ready = 'true';
    }, 0),
  );
}

start();
