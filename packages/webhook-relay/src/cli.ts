#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import type { Logger } from '@mlflow-actions/action-kit/log';
import { ConfigError, OPTIONS, parseConfig, type RelayConfig } from './config.js';
import { GitHubDispatcher } from './github-dispatch.js';
import { createRelay } from './relay-server.js';

const NAME = 'mlflow-webhook-relay';
const VERSION = '0.1.0';

function usage(): string {
  const rows = Object.entries(OPTIONS).map(([name, o]) => {
    const dflt = 'default' in o && o.default ? ` (default ${o.default})` : '';
    return `  --${name.padEnd(20)} ${o.env.padEnd(27)} ${o.help}${dflt}`;
  });
  return [
    `usage: ${NAME} serve [options]`,
    '',
    'Receives MLflow 3 webhooks, checks their X-MLflow-Signature and starts GitHub workflows with',
    'repository_dispatch. Every option can come from the environment variable beside it.',
    '',
    `  --${'option'.padEnd(20)} ${'environment'.padEnd(27)} meaning`,
    ...rows,
  ].join('\n');
}

function lineLogger(debug: boolean): Logger {
  const line = (level: string, m: string) => `${new Date().toISOString()} ${level} ${m}`;
  return {
    debug: (m) => {
      if (debug) console.log(line('debug', m));
    },
    info: (m) => console.log(line('info', m)),
    warning: (m) => console.error(line('warn', m)),
  };
}

/**
 * A GitHub App's installation token lasts an hour: a sidecar (or cron job) can rewrite the file
 * and the relay uses the new token from the next dispatch on. Checked by mtime, read only on change.
 */
function tokenFromFile(file: string, first: string): () => string {
  let token = first;
  let mtime = statSync(file).mtimeMs;
  return () => {
    try {
      const now = statSync(file).mtimeMs;
      if (now !== mtime) {
        const fresh = readFileSync(file, 'utf8').trim();
        if (fresh) [token, mtime] = [fresh, now];
      }
    } catch {
      // the file is being replaced; keep the token we have
    }
    return token;
  };
}

async function serve(config: RelayConfig): Promise<void> {
  const logger = lineLogger(config.debug);
  const dispatcher = new GitHubDispatcher({
    apiUrl: config.apiUrl,
    token: config.tokenFile ? tokenFromFile(config.tokenFile, config.token) : () => config.token,
    repository: config.repository,
    // Generous: MLflow has its answer already, so a GitHub outage of a few minutes loses nothing.
    policy: {
      maxRetries: config.maxRetries,
      backoffFactor: 1,
      backoffJitter: 1,
      maxBackoffSeconds: 60,
      timeoutMs: 30_000,
    },
    logger,
    userAgent: `${NAME}/${VERSION}`,
  });
  const relay = createRelay({
    secret: config.secret,
    toleranceSeconds: config.toleranceSeconds,
    path: config.path,
    events: config.events,
    eventTypePrefix: config.eventTypePrefix,
    dispatcher,
    concurrency: config.concurrency,
    logger,
  });
  // Before listening: whoever sees the 'listening' line may send SIGTERM at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing accepted deliveries, then stopping`);
    void relay.close(20_000).then(() => {
      dispatcher.close();
      // Left to end by itself so buffered log lines reach a pipe; forced if something lingers.
      setTimeout(() => process.exit(0), 5_000).unref();
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await new Promise<void>((resolve, reject) => {
    relay.server.once('error', reject);
    relay.server.listen(config.port, config.host, () => resolve());
  });
  const address = relay.server.address();
  const where = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
  const events = config.events ? [...config.events].join(', ') : 'every event';
  // The secret and the token are never printed; the repository and the API host are.
  logger.info(
    `listening on http://${where}${config.path}; relaying ${events} to ${config.repository} via ${config.apiUrl.host}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    console.log(usage());
    return 0;
  }
  if (command === '--version') {
    console.log(VERSION);
    return 0;
  }
  if (command !== 'serve') {
    console.error(`${NAME}: unknown command ${JSON.stringify(command ?? '')}: run '${NAME} serve' (see --help)`);
    return 2;
  }
  try {
    await serve(parseConfig(rest, process.env));
    return -1; // keeps running
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const line of e.message.split('\n')) console.error(`${NAME}: ${line}`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
      console.error(`${NAME}: cannot listen (${err.code}): choose another --host or --port`);
      return 1;
    }
    throw e;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
