import { mdCode, mdEscape, mdTable } from '@mlflow-actions/action-kit/markdown';
import type { ServiceReport } from '@mlflow-actions/service-runner';

const ms = (n: number | undefined) => (n === undefined ? '' : `${n} ms`);

/** The step summary: the verdict, readiness, each check, the test command, the load test, and on failure the log. */
export function renderSummary(r: ServiceReport, reportFile: string): string {
  const what = r.target.image ? `image ${mdCode(r.target.image)}` : `command ${mdCode(r.target.command ?? '')}`;
  let md = `### Ephemeral test ${r.result === 'passed' ? 'passed' : 'FAILED'}: ${what}\n\n`;
  const rows: string[][] = [
    ['Service', `${r.target.kind} ${mdCode(r.target.id ?? '')} at ${mdCode(r.target.base_url ?? '')}`],
  ];
  if (r.readiness) {
    const ready = r.readiness.ready
      ? `ready after ${r.readiness.ms} ms (${r.readiness.attempts} polls, status ${r.readiness.status})`
      : `not ready: ${mdEscape(r.readiness.message ?? '')}`;
    rows.push(['Readiness', ready]);
  }
  rows.push(['Duration', ms(r.duration_ms)], ['Report', mdCode(reportFile)]);
  md += mdTable(['', ''], rows);

  if (r.failures.length) md += `\n#### Failures\n\n${r.failures.map((f) => `- ${mdEscape(f)}`).join('\n')}\n`;
  if (r.checks.length) {
    const body = r.checks.map((c) => [
      mdEscape(c.name),
      c.passed ? 'pass' : '**fail**',
      c.status === undefined ? 'no answer' : String(c.status),
      ms(c.latencyMs),
      mdEscape(c.failures.join('; ')),
    ]);
    md += `\n#### Checks\n\n${mdTable(['check', 'result', 'status', 'latency', 'why it failed'], body)}`;
  }
  if (r.test_command) {
    const t = r.test_command;
    md += `\n#### Test command\n\n${mdCode(t.command)}: ${t.passed ? 'passed' : `**failed** (exit code ${t.exitCode})`}\n`;
  }
  if (r.load) {
    const l = r.load;
    const statuses = Object.entries(l.statusCounts)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    md +=
      `\n#### Load test: ${l.passed ? 'passed' : '**failed**'}\n\n` +
      mdTable(
        ['', ''],
        [
          ['Request', mdCode(l.request)],
          ['Duration, connections', `${l.durationSeconds} s, ${l.connections}`],
          ['Requests', String(l.requests)],
          ['Throughput', `${l.rps} req/s`],
          [
            'Latency',
            `p50 ${l.latencyMs.p50} ms, p90 ${l.latencyMs.p90} ms, p95 ${l.latencyMs.p95} ms, p99 ${
              l.latencyMs.p99
            } ms, max ${l.latencyMs.max} ms`,
          ],
          ['Status codes', statuses || 'none'],
          ['Socket errors, timeouts', `${l.socketErrors}, ${l.timeouts}`],
          ['Error rate', `${(l.errorRate * 100).toFixed(2)}%`],
          ...(l.failures.length ? [['Thresholds missed', mdEscape(l.failures.join('; '))]] : []),
        ],
      );
  }
  if (r.kept) md += `\nkeep-on-failure: the service is left running; remove it with ${mdCode(r.kept.remove_with)}\n`;
  if (r.log_tail) md += `\n#### Last log lines\n\n${fenced(r.log_tail)}`;
  return md;
}

/** A code block the text cannot end: its fence is longer than any run of tildes in it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/~+/g) ?? []).map((run) => run.length));
  const fence = '~'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}\n`;
}
