// The benchmark's "ours": the ephemeral-test action's readiness and load steps, straight from
// packages/http-checks (the code the action calls), bundled with ncc by run.mjs so it starts as an
// action bundle does. One JSON argument in, one JSON line out:
//   {"step":"load","baseUrl":..,"checks":"<the checks YAML>","durationSeconds":..,"connections":..}
//   {"step":"ready","url":..,"timeoutMs":..}   -> a line "polling" first, then the result with
//                                                "resolvedAt", the wall clock in ms
import { silentLogger } from '../../packages/action-kit/src/log.js';
import { parseChecks, runLoadTest, waitForReady } from '../../packages/http-checks/src/index.js';

interface LoadArgs {
  step: 'load';
  baseUrl: string;
  /** The action's `checks` input; the load step sends its first check. */
  checks: string;
  durationSeconds: number;
  connections: number;
}
interface ReadyArgs {
  step: 'ready';
  url: string;
  timeoutMs: number;
  connectIntervalMs?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs | ReadyArgs;
if (args.step === 'load') {
  const [request] = parseChecks(args.checks);
  if (!request) throw new Error('no check to load');
  const result = await runLoadTest({
    baseUrl: args.baseUrl,
    request,
    durationSeconds: args.durationSeconds,
    connections: args.connections,
    thresholds: {},
    logger: silentLogger,
  });
  console.log(JSON.stringify(result));
} else {
  console.log('polling');
  const result = await waitForReady({
    url: args.url,
    timeoutMs: args.timeoutMs,
    ...(args.connectIntervalMs ? { connectIntervalMs: args.connectIntervalMs } : {}),
    logger: silentLogger,
  });
  const resolvedAt = performance.timeOrigin + performance.now();
  console.log(JSON.stringify({ ...result, resolvedAt }));
}
