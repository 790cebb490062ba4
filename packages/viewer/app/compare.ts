// The change of every metric against another version (the one in production). Shared by the page
// and the action's step summary, so both say the same thing. Pure: no DOM, no Node.
import type { MetricValue } from '../../model-metadata/src/types.js';

export type Direction = 'lower' | 'higher';
export type Verdict = 'better' | 'worse' | 'same' | 'new' | 'removed' | 'incomparable';

/**
 * Whether a lower value is better, guessed from the metric's name, since MLflow does not record it:
 * lower is better when the name contains `loss` or `error`, or one of its words (split at
 * non-letters and camelCase) is one of LOWER_WORDS; higher is better otherwise (accuracy, AUC, F1…).
 */
export const LOWER_WORDS = [
  'err',
  'mae',
  'mse',
  'rmse',
  'mape',
  'smape',
  'msle',
  'rmsle',
  'wer',
  'cer',
  'perplexity',
  'latency',
  'fpr',
  'fnr',
  'regret',
] as const;

export const DIRECTION_RULE =
  `Lower is better when a metric's name contains "loss" or "error", or has one of the words ${LOWER_WORDS.join(', ')}; ` +
  'higher is better otherwise.';

export function metricDirection(name: string): Direction {
  const lower = name.toLowerCase();
  if (lower.includes('loss') || lower.includes('error')) return 'lower';
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/);
  return words.some((w) => (LOWER_WORDS as readonly string[]).includes(w)) ? 'lower' : 'higher';
}

export interface MetricChange {
  key: string;
  current: MetricValue | undefined;
  previous: MetricValue | undefined;
  /** current - previous, when both are finite numbers. */
  delta: number | null;
  /** delta / |previous|, when previous is a finite non-zero number. */
  relative: number | null;
  direction: Direction;
  verdict: Verdict;
}

export function compareMetric(
  key: string,
  current: MetricValue | undefined,
  previous: MetricValue | undefined,
): MetricChange {
  const direction = metricDirection(key);
  const base = { key, current, previous, direction, delta: null, relative: null };
  if (current === undefined) return { ...base, verdict: 'removed' };
  if (previous === undefined) return { ...base, verdict: 'new' };
  if (typeof current !== 'number' || typeof previous !== 'number') {
    return { ...base, verdict: current === previous ? 'same' : 'incomparable' };
  }
  const delta = current - previous;
  const relative = previous !== 0 ? delta / Math.abs(previous) : null;
  // Values read back from float32/float64 stores differ in the last bits: that is no change.
  const same = delta === 0 || Math.abs(delta) <= 1e-12 * Math.max(Math.abs(current), Math.abs(previous));
  const verdict = same ? 'same' : delta < 0 === (direction === 'lower') ? 'better' : 'worse';
  return { ...base, delta: same ? 0 : delta, relative: same ? 0 : relative, verdict };
}

/** Every metric of either version, current ones first in the order given, then removed ones. */
export function compareMetrics(
  current: Record<string, MetricValue>,
  previous: Record<string, MetricValue>,
): MetricChange[] {
  const out = Object.keys(current).map((k) => compareMetric(k, current[k], previous[k]));
  for (const k of Object.keys(previous)) if (!(k in current)) out.push(compareMetric(k, undefined, previous[k]));
  return out;
}

export function countVerdicts(changes: MetricChange[]): Record<Verdict, number> {
  const n: Record<Verdict, number> = { better: 0, worse: 0, same: 0, new: 0, removed: 0, incomparable: 0 };
  for (const c of changes) n[c.verdict]++;
  return n;
}
