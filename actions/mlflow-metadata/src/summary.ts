import { basename } from 'node:path';
import { mdEscape, mdLink, mdTable } from '@mlflow-actions/action-kit/markdown';
import type { MetricValue, ModelMetadata } from '@mlflow-actions/model-metadata';

const MAX_METRIC_ROWS = 200;

function duration(start: number | null, end: number | null): string {
  if (start === null || end === null) return '';
  const s = Math.round((end - start) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}

function fmt(v: MetricValue): string {
  return typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : v;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The step summary: what was read, with links into the MLflow UI, and the metrics table. */
export function renderSummary(m: ModelMetadata, file: { file: string; bytes: number }): string {
  const rows: string[][] = [
    ['Model', mdLink(m.model_name, m.links.registered_model)],
    ['Version', mdLink(m.version, m.links.model_version)],
    ['Stage', mdEscape(m.stage)],
    ['Aliases', m.aliases.length ? m.aliases.map(code).join(' ') : '—'],
    ['Status', m.status],
  ];
  if (m.run) {
    const r = m.run;
    const name = r.run_name ?? r.run_id;
    const took = duration(r.start_time, r.end_time);
    rows.push([
      'Run',
      `${m.links.run ? mdLink(name, m.links.run) : mdEscape(name)} (${mdEscape(r.status ?? '?')}${took ? `, ${took}` : ''})`,
    ]);
    if (r.experiment_name || r.experiment_id)
      rows.push([
        'Experiment',
        m.links.experiment
          ? mdLink(r.experiment_name ?? r.experiment_id, m.links.experiment)
          : mdEscape(r.experiment_id),
      ]);
    if (r.git_commit) rows.push(['Git commit', code(r.git_commit.slice(0, 12))]);
    if (r.user_id) rows.push(['User', mdEscape(r.user_id)]);
  }
  if (m.source_artifact_uri) rows.push(['Source', code(m.source_artifact_uri)]);
  rows.push(['Metadata file', `${code(basename(file.file))} (${(file.bytes / 1024).toFixed(1)} KiB)`]);

  let md = `### MLflow model ${code(m.model_name)} version ${m.version}\n\n${mdTable(['', ''], rows)}\n`;
  const keys = Object.keys(m.metrics).sort();
  if (keys.length) {
    const withHistory = Object.keys(m.metric_history).length > 0;
    const head = withHistory ? ['Metric', 'Latest value', 'History points'] : ['Metric', 'Latest value'];
    const metricRows = keys.slice(0, MAX_METRIC_ROWS).map((k) => {
      const row = [mdEscape(k), fmt(m.metrics[k]!)];
      if (withHistory) row.push(String(m.metric_history[k]?.length ?? '—'));
      return row;
    });
    md += `#### Metrics (${keys.length})\n\n${mdTable(head, metricRows)}`;
    if (keys.length > MAX_METRIC_ROWS)
      md += `\n… and ${keys.length - MAX_METRIC_ROWS} more in ${code(basename(file.file))}.\n`;
  } else {
    md += '_The run logged no metrics._\n';
  }
  return md;
}
