// Formatting shared by the browser app and the action's step summary. Pure: no DOM, no Node.
import type { MetricValue } from '../../model-metadata/src/types.js';

/** A metric value as a reader wants it: integers whole, others to 6 significant digits. */
export function formatValue(v: MetricValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v !== 'number') return v;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return v.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** A signed difference, e.g. `+0.0123` or `−4`, with the relative change when it means something. */
export function formatDelta(delta: number, relative: number | null): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const abs = formatValue(Math.abs(delta));
  if (relative === null || !Number.isFinite(relative)) return `${sign}${abs}`;
  const pct = Math.abs(relative * 100);
  const p = pct >= 100 ? pct.toFixed(0) : pct >= 10 ? pct.toFixed(1) : pct.toPrecision(2);
  return `${sign}${abs} (${sign}${p}%)`;
}

/** `1 h 2 min`, `3 min 4 s`, `5 s`, or `120 ms` for very short runs. */
export function formatDuration(ms: number): string {
  if (ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}

/**
 * A time stamp in UTC (`2026-11-23 12:00:00 UTC`): the same for every reader, and the same as the
 * MLflow server's logs; the ISO form goes in the <time datetime> attribute.
 */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** Numbers compare as numbers; NaN and the infinities sort after every finite value. */
export function numericValue(v: MetricValue | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/** `Version 2 (Production)`: a version as the table's heading and the chart's legend name it. */
export function versionLabel(version: string, stage: string | null): string {
  return `Version ${version}${stage && stage !== 'None' ? ` (${stage})` : ''}`;
}
