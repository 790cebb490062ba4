import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KNOWN_EVENTS } from './mlflow-event.js';

export interface RelayConfig {
  host: string;
  port: number;
  path: string;
  secret: string;
  token: string;
  /** Where the token came from when it is a file: re-read when the file changes. */
  tokenFile: string | undefined;
  repository: string;
  apiUrl: URL;
  toleranceSeconds: number;
  events: Set<string> | undefined;
  eventTypePrefix: string;
  concurrency: number;
  maxRetries: number;
  debug: boolean;
}

/** The user's mistake in an option: printed as one line, exit status 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

// Each option, its environment variable and its default. Secrets also come from files (Docker
// and Kubernetes secrets), and flags are the last resort for them: `ps` shows a process's arguments.
export const OPTIONS = {
  host: { env: 'HOST', default: '127.0.0.1', help: 'address to listen on (0.0.0.0 in a container)' },
  port: { env: 'PORT', default: '8787', help: 'port to listen on' },
  path: { env: 'RELAY_PATH', default: '/webhook', help: "URL path of the webhook (MLflow's webhook url ends with it)" },
  'webhook-secret': {
    env: 'MLFLOW_WEBHOOK_SECRET',
    help: 'the secret given to create_webhook (prefer the env or a file)',
  },
  'webhook-secret-file': { env: 'MLFLOW_WEBHOOK_SECRET_FILE', help: 'file holding that secret' },
  'github-token': { env: 'GITHUB_TOKEN', help: 'token that may write Contents of --repo (prefer the env or a file)' },
  'github-token-file': { env: 'GITHUB_TOKEN_FILE', help: 'file holding that token, re-read when it changes' },
  repo: { env: 'GITHUB_REPOSITORY', help: 'owner/name of the repository whose workflows the events start' },
  'github-api-url': { env: 'GITHUB_API_URL', default: 'https://api.github.com', help: 'https://HOST/api/v3 on GHES' },
  'tolerance-seconds': {
    env: 'RELAY_TOLERANCE_SECONDS',
    default: '300',
    help: 'accepted clock difference (replay window)',
  },
  events: { env: 'RELAY_EVENTS', default: '', help: 'comma list of events to relay (default: all MLflow sends)' },
  'event-type-prefix': {
    env: 'RELAY_EVENT_TYPE_PREFIX',
    default: 'mlflow.',
    help: 'prefix of the dispatch event_type',
  },
  concurrency: { env: 'RELAY_CONCURRENCY', default: '1', help: 'dispatches in flight (GitHub prefers 1)' },
  'max-retries': { env: 'RELAY_MAX_RETRIES', default: '8', help: 'retries of a dispatch on 5xx, 429, network errors' },
  debug: {
    env: 'RELAY_DEBUG',
    default: 'false',
    help: 'also log duplicates and ignored events (a flag; env: true or false)',
  },
} as const;

type Name = keyof typeof OPTIONS;

export function parseConfig(argv: string[], env: Env): RelayConfig {
  let values: Partial<Record<Name, string>>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.keys(OPTIONS).map((k) => [k, { type: k === 'debug' ? ('boolean' as const) : ('string' as const) }]),
      ),
      strict: true,
      allowPositionals: false,
    });
    values = Object.fromEntries(Object.entries(parsed.values).map(([k, v]) => [k, String(v)]));
  } catch (e) {
    throw new ConfigError(`${(e as Error).message.split('\n')[0]}; see --help`);
  }
  const problems: string[] = [];
  const get = (name: Name): string => {
    const o = OPTIONS[name];
    return (values[name] ?? env[o.env] ?? ('default' in o ? o.default : '')).trim();
  };
  const secretOf = (name: 'webhook-secret' | 'github-token'): string => {
    const direct = values[name] ?? env[OPTIONS[name].env];
    const file = get(`${name}-file`);
    if (direct && file) problems.push(`--${name} and --${name}-file are both set: keep one`);
    if (file) {
      try {
        return readFileSync(file, 'utf8').trim();
      } catch (e) {
        problems.push(`--${name}-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        return '';
      }
    }
    return direct ?? '';
  };

  // A file that cannot be read is reported once, not also as a missing value.
  const before = problems.length;
  const secret = secretOf('webhook-secret');
  if (!secret && problems.length === before)
    problems.push(`--webhook-secret is required: set ${OPTIONS['webhook-secret'].env} to the webhook's secret`);
  const beforeToken = problems.length;
  const token = secretOf('github-token');
  if (!token && problems.length === beforeToken)
    problems.push(`--github-token is required: set ${OPTIONS['github-token'].env} to a token for --repo`);

  const repository = get('repo');
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    problems.push(
      `--repo ${JSON.stringify(repository)} is not owner/name: set ${OPTIONS.repo.env}, e.g. acme/model-deploy`,
    );
  }
  const apiUrl = checkApiUrl(get('github-api-url'), problems);
  const port = integer('port', get('port'), 0, 65535, problems);
  const toleranceSeconds = integer('tolerance-seconds', get('tolerance-seconds'), 1, 86_400, problems);
  const concurrency = integer('concurrency', get('concurrency'), 1, 16, problems);
  const maxRetries = integer('max-retries', get('max-retries'), 0, 20, problems);
  const path = get('path');
  if (!path.startsWith('/')) problems.push(`--path ${JSON.stringify(path)} must start with /`);
  const events = checkEvents(get('events'), problems);
  const prefix = get('event-type-prefix');
  if (prefix.length > 60) problems.push('--event-type-prefix is over 60 characters (event_type may be 100 at most)');
  const debug = get('debug');
  if (debug !== 'true' && debug !== 'false')
    problems.push(`--debug must be true or false, not ${JSON.stringify(debug)}`);

  if (problems.length) throw new ConfigError(problems.join('\n'));
  return {
    host: get('host'),
    port,
    path,
    secret,
    token,
    tokenFile: get('github-token-file') || undefined,
    repository,
    apiUrl: apiUrl!,
    toleranceSeconds,
    events,
    eventTypePrefix: prefix,
    concurrency,
    maxRetries,
    debug: debug === 'true',
  };
}

/** The token goes only to GitHub, and only over https: plain http is allowed to loopback alone. */
function checkApiUrl(value: string, problems: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      `--github-api-url ${JSON.stringify(value)} is not a URL: use https://api.github.com or https://HOST/api/v3`,
    );
    return undefined;
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(
      `--github-api-url must be https (plain http only to 127.0.0.1, ::1 or localhost), not ${url.protocol}`,
    );
  }
  if (url.username || url.password)
    problems.push('--github-api-url must not hold credentials: pass the token with --github-token');
  if (url.search || url.hash) problems.push('--github-api-url must not have a query or fragment');
  return url;
}

function checkEvents(value: string, problems: string[]): Set<string> | undefined {
  if (!value) return undefined;
  const events = value
    .split(/[\n,]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = events.filter((e) => !(KNOWN_EVENTS as readonly string[]).includes(e));
  if (unknown.length) problems.push(`--events: unknown ${unknown.join(', ')}; known: ${KNOWN_EVENTS.join(', ')}`);
  return new Set(events);
}

function integer(name: Name, value: string, min: number, max: number, problems: string[]): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    problems.push(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return n;
}
