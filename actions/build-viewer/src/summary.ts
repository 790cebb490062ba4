import { basename } from 'node:path';
import { mdEscape, mdLink, mdTable } from '@mlflow-actions/action-kit/markdown';
import type { ModelMetadata } from '@mlflow-actions/model-metadata';
import {
  compareMetrics,
  countVerdicts,
  formatDelta,
  formatValue,
  DIRECTION_RULE,
  type SiteFile,
} from '@mlflow-actions/viewer';

const MAX_CHANGE_ROWS = 30;
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The step summary: what was built, and how the metrics moved against the previous version. */
export function renderSummary(o: {
  metadata: ModelMetadata;
  previous: ModelMetadata | null;
  files: SiteFile[];
  dir: string;
  bytes: number;
}): string {
  const m = o.metadata;
  const rows = [
    ['Model', mdLink(m.model_name, m.links.registered_model)],
    [
      'Version',
      `${mdLink(m.version, m.links.model_version)} (stage ${mdEscape(m.stage)}${
        m.aliases.length ? `, ${m.aliases.map(code).join(' ')}` : ''
      })`,
    ],
    [
      'Metrics',
      `${Object.keys(m.metrics).length}${
        Object.keys(m.metric_history).length ? `, ${Object.keys(m.metric_history).length} with history charts` : ''
      }`,
    ],
    [
      'Site',
      `${code(basename(o.dir))}: ${o.files.map((f) => code(f.path)).join(', ')} (${(o.bytes / 1024).toFixed(1)} KiB)`,
    ],
  ];
  let md = `### Model viewer: ${code(m.model_name)} version ${m.version}\n\n${mdTable(['', ''], rows)}\n`;
  if (!o.previous) return md;

  const p = o.previous;
  const changes = compareMetrics(m.metrics, p.metrics);
  const n = countVerdicts(changes);
  md += `#### Against version ${p.version} (${mdEscape(p.stage)})\n\n`;
  md += `${n.better} better, ${n.worse} worse, ${n.same} unchanged, ${n.new} new, ${n.removed} no longer logged. ${mdEscape(
    DIRECTION_RULE,
  )}\n\n`;
  // Worse first: that is what a reviewer must look at before promoting.
  const moved = changes
    .filter((c) => c.verdict === 'worse' || c.verdict === 'better')
    .sort((a, b) =>
      a.verdict === b.verdict ? Math.abs(b.relative ?? 0) - Math.abs(a.relative ?? 0) : a.verdict === 'worse' ? -1 : 1,
    );
  if (moved.length) {
    const table = moved
      .slice(0, MAX_CHANGE_ROWS)
      .map((c) => [
        mdEscape(c.key),
        formatValue(c.previous),
        formatValue(c.current),
        formatDelta(c.delta!, c.relative),
        c.verdict === 'worse' ? '🔻 worse' : '🟢 better',
      ]);
    md += mdTable(['Metric', `v${p.version}`, `v${m.version}`, 'Change', ''], table);
    if (moved.length > MAX_CHANGE_ROWS) md += `\n… and ${moved.length - MAX_CHANGE_ROWS} more changes on the page.\n`;
  }
  return md;
}
