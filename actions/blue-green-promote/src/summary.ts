import { mdCode, mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import type { AliasMove } from '@mlflow-actions/mlflow-client/aliases';
import { stageName, type PromotionResult, type RolloutState } from '@mlflow-actions/rollouts';
import type { Inputs } from './inputs.js';

export interface Seen {
  at: string;
  state: RolloutState;
}

export interface Report {
  inputs: Inputs;
  result: string;
  reason?: string;
  /** Every version of the Rollout seen, with the time (UTC, hh:mm:ss) it was seen. */
  history: Seen[];
  checks?: PromotionResult['checks'];
  aliasesBefore?: Record<string, string>;
  aliasMove?: AliasMove;
  previousRevision?: string;
}

const VERDICT: Record<string, string> = {
  promoted: 'promoted',
  'already-promoted': 'already promoted: nothing to do',
  aborted: 'aborted: revert the GitOps change that started this release',
  failed: 'failed: the Rollout was left as it is (auto-rollback: false)',
  'dry-run': 'dry run: checked, nothing promoted or moved',
  'rolled-back': 'registry rolled back',
};

/** The step summary: the Rollout's phases over time, the checks, and the aliases before and after. */
export function summarize(r: Report): string {
  const title = r.inputs.rollout
    ? `Rollout ${mdCode(`${r.inputs.namespace ?? ''}${r.inputs.namespace ? '/' : ''}${r.inputs.rollout}`)}`
    : 'MLflow registry';
  const out = [`### blue-green-promote: ${title}: ${VERDICT[r.result] ?? r.result}`, ''];
  if (r.reason) out.push(`**Why:** ${mdEscape(r.reason)}`, '');
  if (r.history.length) {
    const rows = compress(r.history).map((s) => [
      s.at,
      mdEscape(`${s.state.phase ?? '-'}${s.state.pauseReasons.length ? ` (${s.state.pauseReasons.join(', ')})` : ''}`),
      mdCode(s.state.revision ?? '-'),
      mdCode(s.state.currentPodHash ?? '-'),
      s.state.strategy === 'canary'
        ? `step ${s.state.currentStepIndex ?? 0}/${s.state.stepCount}`
        : `active ${mdCode(s.state.activeSelector ?? '-')} preview ${mdCode(s.state.previewSelector ?? '-')}`,
      s.state.observed ? 'yes' : 'not yet',
    ]);
    out.push(mdTable(['time', 'phase', 'revision', 'pod hash', 'services / step', 'observed'], rows), '');
  }
  if (r.checks?.length) out.push(mdTable(['stage', 'check', 'result', 'detail'], checkRows(r.checks)), '');
  if (r.previousRevision) out.push(`Previous revision: ${mdCode(r.previousRevision)}`, '');
  const reg = r.inputs.registry;
  if (reg) {
    const move = r.aliasMove;
    const rows: string[][] = [
      [
        mdCode(reg.promoteAlias),
        version(r.aliasesBefore?.[reg.promoteAlias] ?? move?.previousVersion),
        version(move ? move.version : r.aliasesBefore?.[reg.promoteAlias]),
      ],
    ];
    if (reg.previousAlias) {
      rows.push([
        mdCode(reg.previousAlias),
        version(move?.previousAlias?.before ?? r.aliasesBefore?.[reg.previousAlias]),
        version(move?.previousAlias?.after ?? r.aliasesBefore?.[reg.previousAlias]),
      ]);
    }
    out.push(
      `MLflow model ${mdCode(reg.modelName)}${move ? '' : ' (aliases untouched)'}:`,
      '',
      mdTable(['alias', 'before', 'after'], rows),
      '',
    );
  }
  return out.join('\n');
}

/** One row per check at each stage (the URL under the stage's name), or the stage's verdict alone. */
function checkRows(checks: NonNullable<Report['checks']>): string[][] {
  const verdict = (passed: boolean) => (passed ? 'pass' : '**fail**');
  return checks.flatMap(({ stage, outcome }) => {
    const where = `${stageName(stage)}${outcome.url ? ` ${mdCode(outcome.url)}` : ''}`;
    if (!outcome.each?.length) return [[where, '', verdict(outcome.passed), mdEscape(outcome.summary)]];
    return outcome.each.map((c) => [where, mdEscape(c.name), verdict(c.passed), mdEscape(c.detail)]);
  });
}

function version(v: string | undefined): string {
  return v === undefined ? '_(none)_' : mdCode(v);
}

/** One row per change a person cares about (phase, pause, revision, selectors), with the time it was seen. */
function compress(history: Seen[]): Seen[] {
  const rows: (Seen & { key: string })[] = [];
  for (const { at, state: s } of history) {
    const key = [
      s.phase,
      s.pauseReasons.join(),
      s.revision,
      s.currentPodHash,
      s.activeSelector,
      s.previewSelector,
      s.currentStepIndex,
      s.observed,
    ].join('|');
    if (rows.at(-1)?.key !== key) rows.push({ at, state: s, key });
  }
  return rows;
}
