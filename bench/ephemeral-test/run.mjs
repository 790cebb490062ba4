// bench/ephemeral-test: the ephemeral-test action's load step (packages/http-checks' runLoadTest on
// autocannon, bundled with ncc as an action is) against wrk (Debian) and headless Locust (PyPI, one
// process), on the same local target (bench/ephemeral-test/target.mjs, its own process on 127.0.0.1),
// same request (POST /predict with a JSON body), duration and connections, in interleaved rounds whose
// order rotates; requests per second as each tool reports it, as ratios. Beside each run: the client's
// and the target's CPU per request, and the load average, since the 2 cores are shared.
// Then readiness: the delay from the target starting to listen (it reports the moment) to
// waitForReady resolving, over ~20 trials with listen delays spread over 0.2-3 s, beside the
// `until curl …; do sleep 1; done` loop of hand-written workflows.
// Writes its section of bench/RESULTS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { writeSection } from '../lib/results.mjs';
import { runnerNode } from '../../scripts/services/node24.mjs';
import { freePort } from '../../scripts/services/ports.mjs';
import { ensureLocust, ensureWrk, LOCUST_VERSION } from './tools.mjs';

const root = resolve(import.meta.dirname, '../..');
const here = import.meta.dirname;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const BODY = '{"inputs":[[6.1,2.8,4.7,1.2]]}';
const CHECKS = `- path: /predict\n  json: ${BODY}\n`;
const TICK = 100; // clock ticks per second in /proc/<pid>/stat (USER_HZ on Linux)

const node = runnerNode();
const wrk = ensureWrk();
const locust = ensureLocust();
const work = mkdtempSync(join(tmpdir(), 'bench-ephemeral-'));
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

console.error('bench/ephemeral-test: bundling the steps with ncc');
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
    'build',
    join(here, 'steps-cli.ts'),
    '-o',
    join(work, 'cli'),
    '--minify',
    '--quiet',
    '--transpile-only',
    '--target',
    'es2023',
  ],
  { cwd: root },
);
const cli = join(work, 'cli', 'index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wallNow = () => performance.timeOrigin + performance.now();
const load1 = () => loadavg()[0];

/** The target in its own process; resolves once it has reported its port and listening moment. */
function startTarget(env = {}) {
  const child = spawn(node.path, [join(here, 'target.mjs')], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const listening = new Promise((ok, fail) => {
    child.on('exit', (code) => fail(new Error(`the target exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).once('line', (l) => ok(JSON.parse(l)));
  });
  return { child, listening, stop: () => child.kill('SIGTERM') };
}

/** Runs a command to its end; its user+system CPU from GNU time's -o file. */
function runTimed(cmd, args, env = {}) {
  const timeFile = join(work, 'time.txt');
  return new Promise((ok, fail) => {
    const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', cmd, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) return fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${err}${out}`));
      const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      ok({ out, err, cpuSeconds: user + sys });
    });
  });
}

const cpuTicks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
};

const tools = {
  'ephemeral-test (autocannon)': async (base) => {
    const args = { step: 'load', baseUrl: base, checks: CHECKS, durationSeconds: DURATION, connections: CONNECTIONS };
    const r = await runTimed(node.path, ['--no-deprecation', cli, JSON.stringify(args)]);
    const res = JSON.parse(r.out.trim().split('\n').at(-1));
    return { rps: res.rps, requests: res.requests, errors: res.requests - (res.statusCounts['200'] ?? 0), ...r };
  },
  ...Object.fromEntries(
    [1, 2].map((threads) => [
      `wrk (${threads} thread${threads > 1 ? 's' : ''})`,
      async (base) => {
        const r = await runTimed(
          wrk,
          [`-t${threads}`, `-c${CONNECTIONS}`, `-d${DURATION}s`, '-s', join(here, 'post.lua'), `${base}/predict`],
          { LOAD_BODY: BODY },
        );
        const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(r.out)?.[1]);
        const requests = Number(/(\d+) requests in/.exec(r.out)?.[1]);
        const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(r.out)?.[1] ?? 0);
        const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(r.out);
        const errors = non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
        return { rps, requests, errors, ...r };
      },
    ]),
  ),
  ...Object.fromEntries(
    [
      ['Locust, HttpUser', 'http'],
      ['Locust, FastHttpUser', 'fast'],
    ].map(([label, client]) => [
      label,
      async (base) => {
        const csv = join(work, `locust-${client}`);
        const r = await runTimed(
          locust,
          [
            '-f',
            join(here, 'locustfile.py'),
            '--headless',
            '-u',
            String(CONNECTIONS),
            '-r',
            String(CONNECTIONS * 10), // all users at once, as the other tools open all connections
            '-t',
            `${DURATION}s`,
            '--host',
            base,
            '--only-summary',
            '--csv',
            csv,
            '--loglevel',
            'ERROR',
          ],
          { LOCUST_CLIENT: client, LOAD_BODY: BODY },
        );
        const [header, ...rows] = readFileSync(`${csv}_stats.csv`, 'utf8').trim().split('\n');
        const cols = header.split(',');
        const agg = rows.map((l) => l.split(',')).find((c) => c[1] === 'Aggregated');
        const at = (name) => Number(agg[cols.indexOf(name)]);
        return { rps: at('Requests/s'), requests: at('Request Count'), errors: at('Failure Count'), ...r };
      },
    ]),
  ),
};
const names = Object.keys(tools);
const ours = names[0];

// 1. Throughput, interleaved rounds against one target.
const target = startTarget();
const { port } = await target.listening;
const base = `http://127.0.0.1:${port}`;
const runs = Object.fromEntries(names.map((n) => [n, []]));
const loads = [];
console.error(`bench/ephemeral-test: warm-up, then ${ROUNDS} rounds of ${names.length} tools x ${DURATION} s`);
for (const n of names) await tools[n](base); // warm the target's JIT and the page cache
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const n of order) {
    const load = load1();
    loads.push(load);
    const before = cpuTicks(target.child.pid);
    const r = await tools[n](base);
    const serverSeconds = (cpuTicks(target.child.pid) - before) / TICK;
    if (!(r.requests > 0)) throw new Error(`${n} sent no request`);
    const run = { ...r, serverSeconds, load };
    runs[n].push(run);
    console.error(
      `  round ${round + 1} ${n}: ${r.rps.toFixed(0)} req/s, ${r.requests} requests, ${r.errors} errors, ` +
        `client CPU ${r.cpuSeconds.toFixed(2)} s, target CPU ${serverSeconds.toFixed(2)} s (load ${load.toFixed(1)})`,
    );
  }
}
target.stop();

// 2. Readiness: the poller starts first; once it says it is polling, the target starts and listens
// after a delay. The listening moment and the resolution are both on the wall clock.
function startPoller(url, extra = {}) {
  const child = spawn(node.path, [cli, JSON.stringify({ step: 'ready', url, timeoutMs: 30000, ...extra })], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise((ok) => child.on('exit', (code) => (children.delete(child), ok(code))));
  return {
    polling: lines.next(),
    result: (async () => {
      const { value } = await lines.next();
      const code = await exited;
      if (code !== 0 || !value) throw new Error(`the readiness poller exited with ${code}`);
      return JSON.parse(value);
    })(),
  };
}
async function readinessTrial(delayMs, poller) {
  const p = await freePort();
  const url = `http://127.0.0.1:${p}/health`;
  let t;
  try {
    let resolvedAt;
    if (poller !== 'curl') {
      // 'doubling': the backoff before polls that get no answer were kept short (20 ms doubling to 1 s).
      const w = startPoller(url, poller === 'doubling' ? { connectIntervalMs: 1000 } : {});
      await w.polling;
      t = startTarget({ PORT: String(p), LISTEN_DELAY_MS: String(delayMs) });
      const res = await w.result;
      if (!res.ready) throw new Error(`waitForReady did not see the target ready: ${res.message}`);
      if (res.attempts < 2) throw new Error('the first poll was answered: the poller started late');
      resolvedAt = res.resolvedAt;
    } else {
      t = startTarget({ PORT: String(p), LISTEN_DELAY_MS: String(delayMs) });
      await runTimed('sh', ['-c', `until curl -fsS -o /dev/null "${url}" 2>/dev/null; do sleep 1; done`]);
      resolvedAt = wallNow();
    }
    const { listeningAt } = await t.listening;
    return resolvedAt - listeningAt;
  } finally {
    t?.stop();
  }
}
const delays = { ours: [], doubling: [], curl: [] };
const readyLoads = [];
console.error(`bench/ephemeral-test: ${TRIALS} readiness trials`);
for (let i = 0; i < TRIALS; i++) {
  const listenDelay = 200 + ((i * 397) % 2800);
  readyLoads.push(load1());
  const pollers = Object.keys(delays);
  for (const poller of pollers.map((_, k) => pollers[(k + i) % pollers.length])) {
    delays[poller].push(await readinessTrial(listenDelay, poller));
  }
  console.error(
    `  trial ${i + 1} (listens after ${listenDelay} ms): waitForReady +${delays.ours.at(-1).toFixed(1)} ms, ` +
      `doubling to 1 s +${delays.doubling.at(-1).toFixed(0)} ms, curl loop +${delays.curl.at(-1).toFixed(0)} ms`,
  );
}

// 3. The section.
const rpsOf = (n) => median(runs[n].map((r) => r.rps));
const usPer = (n, key) => median(runs[n].map((r) => (r[key] / r.requests) * 1e6));
/** Share of the run's wall time the target spent on the CPU: how close the tool drove it to its limit. */
const targetBusy = (n) => median(runs[n].map((r) => r.serverSeconds / DURATION));
const oursRps = rpsOf(ours);
const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const pct = (x) => `${Math.round(x * 100)}%`;
const wrkNames = names.filter((n) => n.startsWith('wrk'));
// The goal is judged against the faster of wrk's settings: the step must drive the target as far as wrk can.
const bestWrk = wrkNames.reduce((a, b) => (rpsOf(b) > rpsOf(a) ? b : a));
const vsWrk = oursRps / rpsOf(bestWrk);
const vsLocust = oursRps / rpsOf('Locust, HttpUser');
const vsFast = oursRps / rpsOf('Locust, FastHttpUser');
const perRound = names
  .slice(1)
  .map((n) => `${n} ${runs[n].map((r, i) => (runs[ours][i].rps / r.rps).toFixed(2)).join(', ')}`)
  .join('; ');
const max = (xs) => Math.max(...xs);
const yes = (ok) => (ok ? 'met' : '**not met**');
const loadRange = (xs) => `${Math.min(...xs).toFixed(1)} to ${max(xs).toFixed(1)}`;
const wrkVersion = execFileSync('sh', ['-c', `${wrk} -v 2>&1 | head -1`], { encoding: 'utf8' })
  .trim()
  .split(' ')[1];
const errorsNoted =
  names
    .map((n) => [n, runs[n].reduce((a, r) => a + r.errors, 0)])
    .filter(([, e]) => e > 0)
    .map(([n, e]) => `${n} ${e}`)
    .join(', ') || 'none';
const ratioCell = (n) => (n === ours ? '1.00x' : `**${(oursRps / rpsOf(n)).toFixed(2)}x**`);
const row = (n) =>
  `| ${n} | ${fmt(rpsOf(n))} | ${ratioCell(n)} | ${fmt(usPer(n, 'cpuSeconds'))} µs | ` +
  `${fmt(usPer(n, 'serverSeconds'))} µs | ${pct(targetBusy(n))} |`;
const readiness = (xs) => `median ${fmt(median(xs))} ms, worst ${fmt(max(xs))} ms`;

const section = [
  '## ephemeral-test',
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), shared with other work: load average (1 min) ` +
    `${loadRange(loads)} at the start of the load runs and ${loadRange(readyLoads)} during the readiness trials. ` +
    `Node ${node.version} for the step and the target.`,
  "Load step: packages/http-checks' `runLoadTest` (autocannon, the request taken from a `checks` list: " +
    '`POST /predict` with a JSON body), bundled with ncc as the action is. ' +
    `Baselines: wrk ${wrkVersion} (Debian package, with one and with two threads, a Lua script for the POST) and ` +
    `Locust ${LOCUST_VERSION} headless in one process (\`-u ${CONNECTIONS}\`, no wait between tasks). ` +
    'Same target (bench/ephemeral-test/target.mjs: node:http on 127.0.0.1 in its own process, parsing the JSON ' +
    `body and answering JSON), same request, ${DURATION} s and ${CONNECTIONS} connections (users) each; ` +
    `${ROUNDS} rounds after a warm-up, the order rotating each round; requests per second as each tool reports ` +
    'it, median of the rounds.',
  '',
  '| load generator | req/s | ephemeral-test vs it | client CPU per request | target CPU per request | target busy |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...names.map(row),
  '',
  `Ratios of the single rounds (ephemeral-test / other): ${perRound}. CPU is user + system time of the whole ` +
    'client process (GNU time; start-up included) and of the target during that run (/proc), each divided by ' +
    "the requests; target busy is the target's CPU time over the run's duration (100%: its one event loop " +
    `never waited). No run had an error (non-2xx or socket) unless noted here: ${errorsNoted}.`,
  '',
  `Goals: at least 0.9x wrk (the faster of its settings, ${bestWrk} here): ${yes(vsWrk >= 0.9)} ` +
    `(${vsWrk.toFixed(2)}x); at least 10x Locust: ${yes(vsLocust >= 10)} against HttpUser ` +
    `(${vsLocust.toFixed(1)}x), ${vsFast >= 10 ? 'met' : 'not met'} against FastHttpUser (${vsFast.toFixed(1)}x).`,
  '',
  'How to read it: the client and the target share these cores, so a tool that spends less CPU per request ' +
    'leaves more to the target, and a tool that keeps the target busier measures more of what it can do. ' +
    `The step spends ${fmt(usPer(ours, 'cpuSeconds'))} µs of client CPU per request (autocannon parses each ` +
    'response in JavaScript and records its histograms; its start-up is counted too), ' +
    wrkNames.map((n) => `${n} ${fmt(usPer(n, 'cpuSeconds'))} µs`).join(', ') +
    `; the target was busy ${pct(targetBusy(ours))} of the run under the step, ` +
    wrkNames.map((n) => `${pct(targetBusy(n))} under ${n}`).join(', ') +
    '. Pipelining stays at 1: more would raise the figure above what the service does with one request in ' +
    'flight per connection, which is what wrk and Locust measure.',
  '',
  'Readiness: the target starts listening 200-3000 ms after it starts (it reports the moment on the wall ' +
    'clock) and answers `/health` at once; the poller starts with it. Delay from that moment to `waitForReady` ' +
    `resolving (the same bundle, the action's defaults), over ${TRIALS} trials: median ` +
    `**${median(delays.ours).toFixed(1)} ms**, worst **${max(delays.ours).toFixed(1)} ms**. ` +
    `Goal: within 100 ms: ${yes(max(delays.ours) <= 100)}. While nothing answers, polls stay at most 20 ms ` +
    'apart (a refused connection costs each side about 0.1 ms of CPU); answers that say "not yet" still back ' +
    'off from 20 ms to 1 s. With that backoff for every poll (`connectIntervalMs: 1000`): ' +
    `${readiness(delays.doubling)}. The \`until curl -fsS …; do sleep 1; done\` loop, same trials: ` +
    `${readiness(delays.curl)} (measured to the shell's exit).`,
  '',
  `Run with \`npm run bench ephemeral-test\` (${new Date().toISOString().slice(0, 10)}).`,
  '',
].join('\n');
console.log(section);
writeSection('ephemeral-test', section);
process.exit(0);
