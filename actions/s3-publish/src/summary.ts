import { mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import type { PublishResult } from '@mlflow-actions/s3-publish';

const MAX_ROWS = 50;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms / 1000)} s`;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line for the log: what was (or would be) done. */
export function describeResult(r: PublishResult): string {
  const verb = r.dryRun ? 'dry run: would upload' : 'uploaded';
  return `${verb} ${plural(r.filesUploaded, 'file')} (${formatBytes(r.bytesUploaded)}), ${r.filesSkipped} unchanged, ${
    r.filesDeleted
  } deleted, in ${formatSeconds(r.durationMs)}: ${r.s3Uri}`;
}

/** The step summary: counts, bytes, time, where; for a dry run, what would change. */
export function renderSummary(r: PublishResult): string {
  const would = r.dryRun ? 'Would upload' : 'Uploaded';
  const rows: string[][] = [
    ['Artifact version', code(r.artifactVersion)],
    ['Location', code(r.s3Uri)],
    [would, `${plural(r.filesUploaded, 'file')}, ${formatBytes(r.bytesUploaded)}`],
    ['Unchanged (same SHA-256, not sent)', String(r.filesSkipped)],
    [r.dryRun ? 'Would delete' : 'Deleted', String(r.filesDeleted)],
    [
      'Version holds',
      `${plural(r.filesTotal, 'file')}, ${formatBytes(r.bytesTotal)}, listed in ${code('manifest.json')}`,
    ],
  ];
  if (r.excluded.length) {
    const shown = r.excluded
      .slice(0, 10)
      .map((p) => code(p))
      .join(', ');
    rows.push(['Excluded', `${r.excluded.length}: ${shown}${r.excluded.length > 10 ? ', …' : ''}`]);
  }
  rows.push(['Time', formatSeconds(r.durationMs)]);
  if (!r.dryRun && r.actions.some((a) => a.type === 'write-version')) {
    rows.push([
      'VERSION',
      r.conditionalWrite ? 'written last, with If-None-Match (no other run can replace it)' : 'written last',
    ]);
  }

  const title = r.dryRun ? `### S3 publish (dry run: nothing written)` : `### S3 publish`;
  let md = `${title}\n\n${mdTable(['', ''], rows)}`;
  const changes = r.actions.filter((a) => a.type !== 'skip');
  if (r.dryRun) {
    if (changes.length === 0) {
      md += `\nNothing would change: every file is already stored with the same SHA-256.\n`;
    } else {
      const body = changes
        .slice(0, MAX_ROWS)
        .map((a) => [a.type, code(a.key), formatBytes(a.size), mdEscape(a.reason)]);
      md += `\n#### What would change (${changes.length})\n\n${mdTable(['action', 'key', 'size', 'why'], body)}`;
      if (changes.length > MAX_ROWS)
        md += `\n… and ${changes.length - MAX_ROWS} more (run with debug logging to list them all).\n`;
    }
  } else if (changes.length === 0) {
    md += `\nNothing changed: every file was already stored with the same SHA-256.\n`;
  }
  return md;
}
