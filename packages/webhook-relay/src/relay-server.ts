import http from 'node:http';
import type { Logger } from '@mlflow-actions/action-kit/log';
import { DeliveryLedger } from './delivery-ledger.js';
import { toDispatchRequest, type DispatchRequest } from './dispatch-payload.js';
import type { DispatchOutcome } from './github-dispatch.js';
import { MalformedEvent, parseMlflowEvent, type MlflowEvent } from './mlflow-event.js';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyDelivery } from './signature.js';
import { WorkQueue } from './work-queue.js';

export interface RelayOptions {
  secret: string;
  toleranceSeconds: number;
  /** The URL path MLflow's webhook points at, e.g. `/webhook`. */
  path: string;
  /** Events to relay (`model_version.created`, ...); undefined relays every event. */
  events: ReadonlySet<string> | undefined;
  eventTypePrefix: string;
  dispatcher: { dispatch(request: DispatchRequest): Promise<DispatchOutcome> };
  concurrency: number;
  logger: Logger;
  maxBodyBytes?: number;
}

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

export interface Relay {
  server: http.Server;
  stats(): RelayStats;
  /** Stops taking deliveries, then waits (up to `graceMs`) for the ones accepted to reach GitHub. */
  close(graceMs: number): Promise<void>;
}

export function createRelay(opts: RelayOptions): Relay {
  const ledger = new DeliveryLedger(opts.toleranceSeconds);
  const queue = new WorkQueue(opts.concurrency);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const counts = { received: 0, rejected: 0, duplicates: 0, ignored: 0, accepted: 0, relayed: 0, failed: 0 };
  const log = opts.logger;

  const relay = (event: MlflowEvent, deliveryId: string) => async () => {
    const request = toDispatchRequest(event, deliveryId, opts.eventTypePrefix);
    const what = `delivery ${deliveryId} ${event.event} ${describeModel(event)}`;
    try {
      const outcome = await opts.dispatcher.dispatch(request);
      const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
      if (outcome.ok) {
        counts.relayed++;
        log.info(`${what}: dispatched ${request.event_type} (HTTP ${outcome.status}, ${tries})`);
      } else {
        counts.failed++;
        log.warning(`${what}: not dispatched after ${tries}: ${outcome.reason}`);
      }
    } catch (e) {
      counts.failed++;
      log.warning(`${what}: not dispatched: ${(e as Error).message}`);
    }
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, rawBody: Buffer): void => {
    counts.received++;
    const verdict = verifyDelivery(
      {
        deliveryId: header(req, DELIVERY_ID_HEADER),
        timestamp: header(req, TIMESTAMP_HEADER),
        signature: header(req, SIGNATURE_HEADER),
        rawBody,
      },
      opts.secret,
      opts.toleranceSeconds,
    );
    if (!verdict.ok) {
      counts.rejected++;
      log.warning(`refused a delivery from ${req.socket.remoteAddress}: ${verdict.reason}`);
      reply(res, 401, { error: verdict.reason });
      return;
    }
    let event: MlflowEvent;
    try {
      event = parseMlflowEvent(rawBody);
    } catch (e) {
      if (!(e instanceof MalformedEvent)) throw e;
      counts.rejected++;
      log.warning(`refused delivery ${verdict.deliveryId}: ${e.message}`);
      reply(res, 400, { error: e.message });
      return;
    }
    const claim = ledger.claim(verdict.deliveryId, verdict.timestampSeconds);
    if (claim === 'duplicate') {
      counts.duplicates++;
      log.debug(`delivery ${verdict.deliveryId} already taken; not relayed again`);
      reply(res, 200, { status: 'duplicate', delivery_id: verdict.deliveryId });
      return;
    }
    if (claim === 'full') {
      res.setHeader('retry-after', '5');
      reply(res, 503, { error: 'too many deliveries in the replay window; retry later' });
      return;
    }
    if (opts.events && !opts.events.has(event.event)) {
      counts.ignored++;
      log.debug(`delivery ${verdict.deliveryId} ${event.event} is not in the relayed events`);
      reply(res, 200, { status: 'ignored', delivery_id: verdict.deliveryId });
      return;
    }
    counts.accepted++;
    queue.push(relay(event, verdict.deliveryId));
    reply(res, 202, { status: 'accepted', delivery_id: verdict.deliveryId });
  };

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://relay').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      reply(res, 200, { status: 'ok', ...stats() });
      return;
    }
    if (path !== opts.path) {
      reply(res, 404, { error: `no such path; MLflow's webhook should point at ${opts.path}` });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      reply(res, 405, { error: 'only POST' });
      return;
    }
    readBody(req, maxBody).then(
      (body) => (body ? handle(req, res, body) : reply(res, 413, { error: `body over ${maxBody} bytes` }, true)),
      () => res.destroy(),
    );
  });
  // A slow or stalled sender cannot hold a connection for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  const stats = (): RelayStats => ({ ...counts, pending: queue.pending });

  return {
    server,
    stats,
    async close(graceMs: number) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
      const result = await Promise.race([queue.idle(), gaveUp]);
      clearTimeout(timer);
      if (result === 'timeout') log.warning(`stopped with ${queue.pending} deliveries not yet dispatched`);
    },
  };
}

function describeModel(e: MlflowEvent): string {
  // Registry text is quoted: a newline in a model name cannot forge a log line.
  const parts = [e.name !== undefined ? JSON.stringify(e.name) : undefined, e.version && `v${e.version}`];
  if (e.alias !== undefined) parts.push(`@${JSON.stringify(e.alias)}`);
  return parts.filter(Boolean).join(' ');
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The body, or undefined once it passes `limit` bytes (the rest is not read into memory). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: object, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}
