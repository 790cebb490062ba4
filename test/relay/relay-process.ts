import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
/** What `npx mlflow-webhook-relay` runs: the package's bin, the committed bundle. */
export const relayBin = join(repoRoot, 'packages', 'webhook-relay', 'dist', 'cli.js');

/** What the relay's /healthz reports. */
export interface RelayStats {
  received: number;
  rejected: number;
  duplicates: number;
  ignored: number;
  accepted: number;
  relayed: number;
  failed: number;
  pending: number;
}

export interface RelayProcess {
  url: string;
  webhookUrl: string;
  output: () => string;
  stats(): Promise<RelayStats>;
  /** Polls /healthz until `done` holds for its stats (a generous deadline; never a timing assertion). */
  waitFor(done: (s: RelayStats) => boolean, what: string): Promise<RelayStats>;
  stop(): Promise<number | null>;
}

/** Starts the relay's CLI on a free port with secrets in its environment, as the README says. */
export async function startRelay(opts: {
  secret: string;
  token: string;
  repo: string;
  apiUrl: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<RelayProcess> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    MLFLOW_WEBHOOK_SECRET: opts.secret,
    GITHUB_TOKEN: opts.token,
    GITHUB_REPOSITORY: opts.repo,
    GITHUB_API_URL: opts.apiUrl,
    ...opts.env,
  };
  const child = spawn(process.execPath, [relayBin, 'serve', '--port', '0', ...(opts.args ?? [])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 20_000);
    const look = () => {
      const m = /listening on (http:\/\/[^/\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}`));
    });
  });
  const stats = async () => (await (await fetch(`${url}/healthz`)).json()) as RelayStats;
  return {
    url,
    webhookUrl: `${url}/webhook`,
    output: () => out,
    stats,
    async waitFor(done, what) {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const s = await stats();
        if (done(s)) return s;
        if (Date.now() > deadline) throw new Error(`relay never got to: ${what}; stats ${JSON.stringify(s)}\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  return exited;
}

/**
 * Signs a delivery the way MLflow does (mlflow/webhooks/delivery.py, _generate_hmac_signature),
 * written out here from the specification so the test does not borrow the relay's own code.
 */
export function signedDelivery(
  secret: string,
  body: string,
  opts: { deliveryId?: string; timestamp?: number } = {},
): { headers: Record<string, string>; body: string; deliveryId: string } {
  const deliveryId = opts.deliveryId ?? randomUUID();
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const mac = createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`, 'utf8').digest('base64');
  return {
    deliveryId,
    body,
    headers: {
      'content-type': 'application/json',
      'x-mlflow-delivery-id': deliveryId,
      'x-mlflow-timestamp': timestamp,
      'x-mlflow-signature': `v1,${mac}`,
    },
  };
}

/** A body shaped as MLflow's for model_version.created (mlflow/webhooks/types.py). */
export function modelVersionCreated(name: string, version: string): string {
  return JSON.stringify({
    entity: 'model_version',
    action: 'created',
    timestamp: new Date().toISOString(),
    data: { name, version, source: 'models:/m-0123', run_id: 'abc', tags: {}, description: null },
  });
}
