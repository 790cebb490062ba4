#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 723:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(955);
/* harmony import */ var _github_dispatch_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(250);
/* harmony import */ var _relay_server_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(328);




const NAME = 'mlflow-webhook-relay';
const VERSION = '0.1.0';
function usage() {
    const rows = Object.entries(_config_js__WEBPACK_IMPORTED_MODULE_1__/* .OPTIONS */ .lw).map(([name, o]) => {
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
function lineLogger(debug) {
    const line = (level, m) => `${new Date().toISOString()} ${level} ${m}`;
    return {
        debug: (m) => {
            if (debug)
                console.log(line('debug', m));
        },
        info: (m) => console.log(line('info', m)),
        warning: (m) => console.error(line('warn', m)),
    };
}
/**
 * A GitHub App's installation token lasts an hour: a sidecar (or cron job) can rewrite the file
 * and the relay uses the new token from the next dispatch on. Checked by mtime, read only on change.
 */
function tokenFromFile(file, first) {
    let token = first;
    let mtime = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file).mtimeMs;
    return () => {
        try {
            const now = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(file).mtimeMs;
            if (now !== mtime) {
                const fresh = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8').trim();
                if (fresh)
                    [token, mtime] = [fresh, now];
            }
        }
        catch {
            // the file is being replaced; keep the token we have
        }
        return token;
    };
}
async function serve(config) {
    const logger = lineLogger(config.debug);
    const dispatcher = new _github_dispatch_js__WEBPACK_IMPORTED_MODULE_2__/* .GitHubDispatcher */ .n({
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
    const relay = (0,_relay_server_js__WEBPACK_IMPORTED_MODULE_3__/* .createRelay */ .C)({
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
    const stop = (signal) => {
        if (stopping)
            return;
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
    await new Promise((resolve, reject) => {
        relay.server.once('error', reject);
        relay.server.listen(config.port, config.host, () => resolve());
    });
    const address = relay.server.address();
    const where = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
    const events = config.events ? [...config.events].join(', ') : 'every event';
    // The secret and the token are never printed; the repository and the API host are.
    logger.info(`listening on http://${where}${config.path}; relaying ${events} to ${config.repository} via ${config.apiUrl.host}`);
}
async function main(argv) {
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
        await serve((0,_config_js__WEBPACK_IMPORTED_MODULE_1__/* .parseConfig */ .o4)(rest, process.env));
        return -1; // keeps running
    }
    catch (e) {
        if (e instanceof _config_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigError */ .xL) {
            for (const line of e.message.split('\n'))
                console.error(`${NAME}: ${line}`);
            return 2;
        }
        const err = e;
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
            console.error(`${NAME}: cannot listen (${err.code}): choose another --host or --port`);
            return 1;
        }
        throw e;
    }
}
const code = await main(process.argv.slice(2));
if (code >= 0)
    process.exit(code);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 955:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  xL: () => (/* binding */ ConfigError),
  lw: () => (/* binding */ OPTIONS),
  o4: () => (/* binding */ parseConfig)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
// EXTERNAL MODULE: ./packages/webhook-relay/src/mlflow-event.ts
var mlflow_event = __nccwpck_require__(117);
;// CONCATENATED MODULE: ./packages/webhook-relay/src/config.ts



/** The user's mistake in an option: printed as one line, exit status 2. */
class ConfigError extends Error {
    name = 'ConfigError';
}
// Each option, its environment variable and its default. Secrets also come from files (Docker
// and Kubernetes secrets), and flags are the last resort for them: `ps` shows a process's arguments.
const OPTIONS = {
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
};
function parseConfig(argv, env) {
    let values;
    try {
        const parsed = (0,external_node_util_namespaceObject.parseArgs)({
            args: argv,
            options: Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, { type: k === 'debug' ? 'boolean' : 'string' }])),
            strict: true,
            allowPositionals: false,
        });
        values = Object.fromEntries(Object.entries(parsed.values).map(([k, v]) => [k, String(v)]));
    }
    catch (e) {
        throw new ConfigError(`${e.message.split('\n')[0]}; see --help`);
    }
    const problems = [];
    const get = (name) => {
        const o = OPTIONS[name];
        return (values[name] ?? env[o.env] ?? ('default' in o ? o.default : '')).trim();
    };
    const secretOf = (name) => {
        const direct = values[name] ?? env[OPTIONS[name].env];
        const file = get(`${name}-file`);
        if (direct && file)
            problems.push(`--${name} and --${name}-file are both set: keep one`);
        if (file) {
            try {
                return (0,external_node_fs_.readFileSync)(file, 'utf8').trim();
            }
            catch (e) {
                problems.push(`--${name}-file: cannot read ${file} (${e.code ?? 'error'})`);
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
        problems.push(`--repo ${JSON.stringify(repository)} is not owner/name: set ${OPTIONS.repo.env}, e.g. acme/model-deploy`);
    }
    const apiUrl = checkApiUrl(get('github-api-url'), problems);
    const port = integer('port', get('port'), 0, 65535, problems);
    const toleranceSeconds = integer('tolerance-seconds', get('tolerance-seconds'), 1, 86_400, problems);
    const concurrency = integer('concurrency', get('concurrency'), 1, 16, problems);
    const maxRetries = integer('max-retries', get('max-retries'), 0, 20, problems);
    const path = get('path');
    if (!path.startsWith('/'))
        problems.push(`--path ${JSON.stringify(path)} must start with /`);
    const events = checkEvents(get('events'), problems);
    const prefix = get('event-type-prefix');
    if (prefix.length > 60)
        problems.push('--event-type-prefix is over 60 characters (event_type may be 100 at most)');
    const debug = get('debug');
    if (debug !== 'true' && debug !== 'false')
        problems.push(`--debug must be true or false, not ${JSON.stringify(debug)}`);
    if (problems.length)
        throw new ConfigError(problems.join('\n'));
    return {
        host: get('host'),
        port,
        path,
        secret,
        token,
        tokenFile: get('github-token-file') || undefined,
        repository,
        apiUrl: apiUrl,
        toleranceSeconds,
        events,
        eventTypePrefix: prefix,
        concurrency,
        maxRetries,
        debug: debug === 'true',
    };
}
/** The token goes only to GitHub, and only over https: plain http is allowed to loopback alone. */
function checkApiUrl(value, problems) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        problems.push(`--github-api-url ${JSON.stringify(value)} is not a URL: use https://api.github.com or https://HOST/api/v3`);
        return undefined;
    }
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        problems.push(`--github-api-url must be https (plain http only to 127.0.0.1, ::1 or localhost), not ${url.protocol}`);
    }
    if (url.username || url.password)
        problems.push('--github-api-url must not hold credentials: pass the token with --github-token');
    if (url.search || url.hash)
        problems.push('--github-api-url must not have a query or fragment');
    return url;
}
function checkEvents(value, problems) {
    if (!value)
        return undefined;
    const events = value
        .split(/[\n,]+/)
        .map((e) => e.trim())
        .filter(Boolean);
    const unknown = events.filter((e) => !mlflow_event/* KNOWN_EVENTS */._Y.includes(e));
    if (unknown.length)
        problems.push(`--events: unknown ${unknown.join(', ')}; known: ${mlflow_event/* KNOWN_EVENTS */._Y.join(', ')}`);
    return new Set(events);
}
function integer(name, value, min, max, problems) {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
        problems.push(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
    }
    return n;
}


/***/ }),

/***/ 250:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  n: () => (/* binding */ GitHubDispatcher)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(67);
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_namespaceObject);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./packages/action-kit/src/log.ts
const silentLogger = { debug() { }, info() { }, warning() { } };
const consoleLogger = {
    debug: (m) => {
        if (process.env.RUNNER_DEBUG === '1')
            console.error(`debug: ${m}`);
    },
    info: (m) => console.log(m),
    warning: (m) => console.error(`warning: ${m}`),
};
/** The same logger, with its warnings prefixed (`<action>: …`), as the action's errors are. */
function prefixWarnings(logger, prefix) {
    return { ...logger, warning: (m) => logger.warning(`${prefix}: ${m}`) };
}

;// CONCATENATED MODULE: ./packages/action-kit/src/http.ts





const DEFAULT_RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** The request could not be completed: every attempt failed at the connection level or timed out. */
class NetworkError extends Error {
    code;
    attempts;
    constructor(message, code, attempts) {
        super(message);
        this.code = code;
        this.attempts = attempts;
        this.name = 'NetworkError';
    }
}
const RETRYABLE_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'ERR_HTTP_HEADERS_SENT',
    'HPE_INVALID_CONSTANT',
]);
function backoffSeconds(retry, policy, random = Math.random) {
    // retry is 1-based: urllib3 sleeps 0 before the first retry.
    const base = retry <= 1 ? 0 : policy.backoffFactor * 2 ** (retry - 1);
    return Math.min(policy.maxBackoffSeconds, base + random() * policy.backoffJitter);
}
/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    const v = Array.isArray(value) ? value[0] : value;
    if (!v)
        return undefined;
    if (/^\d+(\.\d+)?$/.test(v.trim()))
        return Number(v.trim());
    const at = Date.parse(v);
    return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
class HttpClient {
    opts;
    httpAgent = new (external_node_http_default()).Agent({ keepAlive: true, maxSockets: 16 });
    httpsAgent;
    log;
    retryStatuses;
    constructor(opts) {
        this.opts = opts;
        this.log = opts.logger ?? silentLogger;
        this.retryStatuses = opts.retryStatuses ?? DEFAULT_RETRY_STATUSES;
        const tls = opts.tls ?? {};
        const agentOpts = { keepAlive: true, maxSockets: 16 };
        if (tls.insecure)
            agentOpts.rejectUnauthorized = false;
        if (tls.caCertPath)
            agentOpts.ca = (0,external_node_fs_.readFileSync)(tls.caCertPath);
        if (tls.clientCertPath) {
            // Like requests' `cert=path`: one PEM holding the certificate and its key.
            const pem = (0,external_node_fs_.readFileSync)(tls.clientCertPath);
            agentOpts.cert = pem;
            agentOpts.key = pem;
        }
        this.httpsAgent = new (external_node_https_default()).Agent(agentOpts);
    }
    closed = false;
    /**
     * Ends every connection and stops pending retries. Requests still in flight (a lookup that ran
     * beside one that already failed, say) reject at once, so a failing step exits immediately
     * instead of waiting out their backoff.
     */
    close() {
        this.closed = true;
        this.httpAgent.destroy();
        this.httpsAgent.destroy();
        for (const wake of this.sleepers)
            wake();
        this.sleepers.clear();
    }
    sleepers = new Set();
    async request(req) {
        const { maxRetries } = this.opts.policy;
        for (let attempt = 1;; attempt++) {
            if (this.closed)
                throw new NetworkError('client closed', 'ECLOSED', attempt - 1);
            try {
                const res = await this.once(req);
                if (!this.retryStatuses.has(res.status) || attempt > maxRetries)
                    return { ...res, attempts: attempt };
                const retryAfter = parseRetryAfter(res.headers['retry-after']);
                await this.pause(attempt, `HTTP ${res.status}`, req, retryAfter);
            }
            catch (e) {
                const err = e;
                // close() may have run while the request was in flight.
                // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
                if (this.closed)
                    throw new NetworkError('client closed', 'ECLOSED', attempt);
                if (!isRetryable(err) || attempt > maxRetries) {
                    const what = describeNetworkError(err, this.opts.policy.timeoutMs);
                    const tries = attempt === 1 ? '' : ` (gave up after ${attempt} attempts)`;
                    throw new NetworkError(`${what}${tries}`, err.code, attempt);
                }
                await this.pause(attempt, describeNetworkError(err, this.opts.policy.timeoutMs), req);
            }
        }
    }
    /**
     * Like request(), but resolves once the headers are in, with the body unread: retries (connection
     * errors, retryable statuses) happen only before that. The socket's idle time, not the whole
     * transfer, is bounded by the policy's timeout, as requests' read timeout is for MLflow's client:
     * a 200 MB file may take longer than one timeout but never stalls that long. A body that breaks
     * mid-way is the caller's to retry (isRetryableNetworkError, waitBeforeRetry).
     */
    async openStream(req) {
        const { maxRetries } = this.opts.policy;
        for (let attempt = 1;; attempt++) {
            if (this.closed)
                throw new NetworkError('client closed', 'ECLOSED', attempt - 1);
            try {
                const res = await this.openOnce(req);
                const status = res.statusCode ?? 0;
                if (!this.retryStatuses.has(status) || attempt > maxRetries) {
                    return { status, headers: res.headers, body: res, attempts: attempt };
                }
                res.resume(); // drain, so the connection can be reused
                await this.pause(attempt, `HTTP ${status}`, req, parseRetryAfter(res.headers['retry-after']));
            }
            catch (e) {
                const err = e;
                // close() may have run while the request was in flight.
                // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
                if (this.closed)
                    throw new NetworkError('client closed', 'ECLOSED', attempt);
                if (!isRetryable(err) || attempt > maxRetries) {
                    const what = describeNetworkError(err, this.opts.policy.timeoutMs);
                    throw new NetworkError(`${what}${attempt === 1 ? '' : ` (gave up after ${attempt} attempts)`}`, err.code, attempt);
                }
                await this.pause(attempt, describeNetworkError(err, this.opts.policy.timeoutMs), req);
            }
        }
    }
    /** The backoff before retry number `attempt` (1-based) of something the caller retries itself. */
    waitBeforeRetry(attempt, why, url) {
        if (this.closed)
            return Promise.reject(new NetworkError('client closed', 'ECLOSED', attempt));
        return this.pause(attempt, why, { url });
    }
    get retryPolicy() {
        return this.opts.policy;
    }
    openOnce(req) {
        return new Promise((resolve, reject) => {
            const isHttps = req.url.protocol === 'https:';
            const headers = {
                'user-agent': this.opts.userAgent ?? 'mlflow-deploy-actions',
                // Bytes as stored: sizes are checked against the server's listing.
                'accept-encoding': 'identity',
                ...req.headers,
            };
            const r = (isHttps ? (external_node_https_default()) : (external_node_http_default())).request(req.url, { method: req.method ?? 'GET', headers, agent: isHttps ? this.httpsAgent : this.httpAgent }, resolve);
            r.setTimeout(this.opts.policy.timeoutMs, () => {
                r.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
            });
            r.on('error', reject);
            r.end();
        });
    }
    async pause(attempt, why, req, retryAfter) {
        let seconds = backoffSeconds(attempt, this.opts.policy);
        if (retryAfter !== undefined)
            seconds = Math.min(this.opts.policy.maxBackoffSeconds, Math.max(seconds, retryAfter));
        this.log.info(`${why} from ${req.url.host}${req.url.pathname}; retry ${attempt} of ${this.opts.policy.maxRetries} in ${seconds.toFixed(1)} s`);
        if (this.opts.sleep)
            return this.opts.sleep(seconds * 1000);
        await new Promise((resolve) => {
            const timer = setTimeout(() => wake(), seconds * 1000);
            const wake = () => {
                clearTimeout(timer);
                this.sleepers.delete(wake);
                resolve();
            };
            this.sleepers.add(wake);
        });
    }
    once(req) {
        return new Promise((resolve, reject) => {
            const isHttps = req.url.protocol === 'https:';
            const headers = {
                'user-agent': this.opts.userAgent ?? 'mlflow-deploy-actions',
                'accept-encoding': 'gzip, br, deflate',
                ...req.headers,
            };
            if (req.body !== undefined)
                headers['content-length'] = String(Buffer.byteLength(req.body));
            const r = (isHttps ? (external_node_https_default()) : (external_node_http_default())).request(req.url, { method: req.method ?? 'GET', headers, agent: isHttps ? this.httpsAgent : this.httpAgent }, (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('error', reject);
                res.on('end', () => {
                    clearTimeout(timer);
                    try {
                        resolve({
                            status: res.statusCode ?? 0,
                            headers: res.headers,
                            body: decode(Buffer.concat(chunks), res.headers),
                        });
                    }
                    catch (e) {
                        reject(e);
                    }
                });
            });
            const timer = setTimeout(() => {
                const err = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
                r.destroy(err);
            }, this.opts.policy.timeoutMs);
            r.on('error', (e) => {
                clearTimeout(timer);
                reject(e);
            });
            if (req.body !== undefined)
                r.write(req.body);
            r.end();
        });
    }
}
function decode(body, headers) {
    switch (headers['content-encoding']) {
        case 'gzip':
            return (0,external_node_zlib_namespaceObject.gunzipSync)(body);
        case 'br':
            return (0,external_node_zlib_namespaceObject.brotliDecompressSync)(body);
        case 'deflate':
            return (0,external_node_zlib_namespaceObject.inflateSync)(body);
        default:
            return body;
    }
}
/** A connection-level failure worth another attempt (reset, refused, timed out, cut short). */
function isRetryableNetworkError(e) {
    return e instanceof Error && isRetryable(e);
}
function describeNetworkFailure(e, timeoutMs) {
    return describeNetworkError(e, timeoutMs);
}
function isRetryable(e) {
    if (e.code && RETRYABLE_CODES.has(e.code))
        return true;
    // Node reports a peer that closes mid-response as "socket hang up" (ECONNRESET) or as a parse error.
    return /socket hang up|other side closed|premature close/i.test(e.message);
}
function describeNetworkError(e, timeoutMs) {
    switch (e.code) {
        case 'ECONNREFUSED':
            return 'connection refused';
        case 'ECONNRESET':
            return 'connection reset by peer';
        case 'ETIMEDOUT':
            return `no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return 'host name not found';
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
        case 'CERT_HAS_EXPIRED':
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `TLS certificate not trusted (${e.code}): pass a CA bundle or, for testing only, allow insecure TLS`;
        default:
            return e.code ? `${e.message} (${e.code})` : e.message;
    }
}

;// CONCATENATED MODULE: ./packages/webhook-relay/src/github-dispatch.ts

/**
 * Sends repository_dispatch events. 5xx, 429 and connection errors are retried with backoff and
 * jitter, honouring Retry-After (action-kit's HttpClient); any other answer is final: 401 and 404
 * mean a token that cannot write to the repository, and would fail again.
 */
class GitHubDispatcher {
    opts;
    http;
    url;
    constructor(opts) {
        this.opts = opts;
        this.http = new HttpClient({
            policy: opts.policy,
            logger: opts.logger,
            userAgent: opts.userAgent,
            ...(opts.sleep ? { sleep: opts.sleep } : {}),
        });
        const base = opts.apiUrl.href.replace(/\/+$/, '');
        const [owner, name] = opts.repository.split('/');
        this.url = new URL(`${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/dispatches`);
    }
    async dispatch(request) {
        try {
            const res = await this.http.request({
                method: 'POST',
                url: this.url,
                headers: {
                    accept: 'application/vnd.github+json',
                    authorization: `Bearer ${this.opts.token()}`,
                    'content-type': 'application/json',
                    'x-github-api-version': '2022-11-28',
                },
                body: JSON.stringify(request),
            });
            if (res.status >= 200 && res.status < 300)
                return { ok: true, status: res.status, attempts: res.attempts };
            return {
                ok: false,
                reason: `GitHub answered HTTP ${res.status}: ${describe(res.status, res.body)}`,
                attempts: res.attempts,
            };
        }
        catch (e) {
            if (e instanceof NetworkError)
                return { ok: false, reason: `GitHub unreachable: ${e.message}`, attempts: e.attempts };
            throw e;
        }
    }
    close() {
        this.http.close();
    }
}
function describe(status, body) {
    let message = '';
    try {
        const parsed = JSON.parse(body.toString('utf8'));
        if (typeof parsed.message === 'string')
            message = parsed.message;
    }
    catch {
        // not JSON: a proxy's page; its status says enough
    }
    const hint = status === 401
        ? ' (the token is invalid or expired)'
        : status === 403 || status === 404
            ? ' (the token cannot write to this repository: it needs Contents read and write)'
            : '';
    // GitHub's text is quoted so a newline in it cannot forge a log line.
    return `${JSON.stringify(message.slice(0, 300))}${hint}`;
}


/***/ }),

/***/ 117:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   QI: () => (/* binding */ MalformedEvent),
/* harmony export */   _Y: () => (/* binding */ KNOWN_EVENTS),
/* harmony export */   tR: () => (/* binding */ parseMlflowEvent)
/* harmony export */ });
/**
 * Every event MLflow 3 can deliver (VALID_ENTITY_ACTIONS in mlflow/entities/webhook.py), with the
 * fields of `data` it always carries (mlflow/webhooks/types.py). An event MLflow adds later is
 * relayed too, with no field required.
 */
const REQUIRED_FIELDS = {
    'registered_model.created': ['name'],
    'model_version.created': ['name', 'version'],
    'model_version_tag.set': ['name', 'version', 'key'],
    'model_version_tag.deleted': ['name', 'version', 'key'],
    'model_version_alias.created': ['name', 'alias', 'version'],
    'model_version_alias.deleted': ['name', 'alias'],
    'prompt.created': ['name'],
    'prompt_version.created': ['name', 'version'],
    'prompt_tag.set': ['name', 'key'],
    'prompt_tag.deleted': ['name', 'key'],
    'prompt_version_tag.set': ['name', 'version', 'key'],
    'prompt_version_tag.deleted': ['name', 'version', 'key'],
    'prompt_alias.created': ['name', 'alias', 'version'],
    'prompt_alias.deleted': ['name', 'alias'],
    'budget_policy.exceeded': ['budget_policy_id'],
};
const KNOWN_EVENTS = Object.keys(REQUIRED_FIELDS);
class MalformedEvent extends Error {
    name = 'MalformedEvent';
}
const WORD = /^[a-z][a-z_]{0,40}$/;
/** Parses and checks a delivery's body; throws MalformedEvent saying what is wrong. */
function parseMlflowEvent(rawBody) {
    let body;
    try {
        body = JSON.parse(rawBody.toString('utf8'));
    }
    catch {
        throw new MalformedEvent('body is not JSON');
    }
    if (!isObject(body))
        throw new MalformedEvent('body is not a JSON object');
    const { entity, action, data } = body;
    if (typeof entity !== 'string' || !WORD.test(entity))
        throw new MalformedEvent('"entity" is missing or not a name');
    if (typeof action !== 'string' || !WORD.test(action))
        throw new MalformedEvent('"action" is missing or not a name');
    if (!isObject(data))
        throw new MalformedEvent('"data" is missing or not an object');
    const event = `${entity}.${action}`;
    const required = Object.hasOwn(REQUIRED_FIELDS, event) ? REQUIRED_FIELDS[event] : [];
    for (const key of required) {
        if (typeof data[key] !== 'string' || data[key] === '')
            throw new MalformedEvent(`"data.${key}" is missing for ${event}`);
    }
    const name = optionalString(data, 'name');
    const version = optionalString(data, 'version');
    const alias = optionalString(data, 'alias');
    return {
        event,
        entity,
        action,
        timestamp: typeof body.timestamp === 'string' ? body.timestamp : undefined,
        workspace: typeof body.workspace === 'string' ? body.workspace : undefined,
        name,
        version,
        alias,
        data,
    };
}
function optionalString(data, key) {
    const v = data[key];
    if (v === undefined || v === null)
        return undefined;
    if (typeof v !== 'string')
        throw new MalformedEvent(`"data.${key}" is not a string`);
    return v;
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}


/***/ }),

/***/ 328:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ createRelay)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(67);
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_);
;// CONCATENATED MODULE: ./packages/webhook-relay/src/delivery-ledger.ts
/**
 * Remembers the delivery ids already taken, so a delivery MLflow retries (or anyone replays) is
 * relayed once. An id need only be kept while its timestamp is inside the verification window:
 * after that the same delivery is refused as stale anyway, so memory stays bounded by traffic in
 * one window rather than growing forever.
 */
class DeliveryLedger {
    toleranceSeconds;
    maxEntries;
    expiry = new Map(); // delivery id -> forget after (Unix seconds)
    lastPrune = 0;
    constructor(toleranceSeconds, maxEntries = 100_000) {
        this.toleranceSeconds = toleranceSeconds;
        this.maxEntries = maxEntries;
    }
    /** 'new' the first time an id is seen, 'duplicate' after; 'full' when too many are held to add one. */
    claim(deliveryId, timestampSeconds, nowSeconds = Date.now() / 1000) {
        if (this.expiry.has(deliveryId))
            return 'duplicate';
        if (this.expiry.size >= this.maxEntries || nowSeconds - this.lastPrune > 10)
            this.prune(nowSeconds);
        if (this.expiry.size >= this.maxEntries)
            return 'full';
        this.expiry.set(deliveryId, timestampSeconds + this.toleranceSeconds + 1);
        return 'new';
    }
    get size() {
        return this.expiry.size;
    }
    prune(nowSeconds) {
        this.lastPrune = nowSeconds;
        for (const [id, forgetAfter] of this.expiry)
            if (forgetAfter < nowSeconds)
                this.expiry.delete(id);
    }
}

;// CONCATENATED MODULE: ./packages/webhook-relay/src/dispatch-payload.ts
// GitHub's limit is 64 KB for the whole payload; leave room for event_type and the other fields.
const MAX_DATA_BYTES = 60 * 1024;
const MAX_EVENT_TYPE = 100;
/** `mlflow.model_version.created` and the like: what `on: repository_dispatch: types:` filters on. */
function toDispatchRequest(e, deliveryId, eventTypePrefix) {
    const payload = { event: e.event, delivery_id: deliveryId };
    if (e.name !== undefined)
        payload.model_name = e.name;
    if (e.version !== undefined)
        payload.model_version = e.version;
    if (e.alias !== undefined)
        payload.alias = e.alias;
    if (e.workspace !== undefined)
        payload.workspace = e.workspace;
    if (e.timestamp !== undefined)
        payload.mlflow_timestamp = e.timestamp;
    if (Buffer.byteLength(JSON.stringify(e.data)) <= MAX_DATA_BYTES)
        payload.data = e.data;
    else
        payload.data_omitted = true;
    return { event_type: `${eventTypePrefix}${e.event}`.slice(0, MAX_EVENT_TYPE), client_payload: payload };
}

// EXTERNAL MODULE: ./packages/webhook-relay/src/mlflow-event.ts
var mlflow_event = __nccwpck_require__(117);
;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./packages/webhook-relay/src/signature.ts

/**
 * MLflow's webhook signature (mlflow/webhooks/delivery.py, after Standard Webhooks):
 *   X-MLflow-Signature: v1,<base64 HMAC-SHA256(secret, "<delivery id>.<timestamp>.<raw body>")>
 * The HMAC runs over the body's raw bytes: re-serialising parsed JSON would change them.
 */
const SIGNATURE_HEADER = 'x-mlflow-signature';
const TIMESTAMP_HEADER = 'x-mlflow-timestamp';
const DELIVERY_ID_HEADER = 'x-mlflow-delivery-id';
// MLflow sends a UUID; anything printable and short is accepted so another sender's ids also work.
const DELIVERY_ID = /^[\x21-\x7e]{1,128}$/;
function verifyDelivery(d, secret, toleranceSeconds, nowSeconds = Date.now() / 1000) {
    if (!d.deliveryId)
        return { ok: false, reason: 'missing X-MLflow-Delivery-Id header' };
    if (!DELIVERY_ID.test(d.deliveryId))
        return { ok: false, reason: 'X-MLflow-Delivery-Id is not a short printable id' };
    if (!d.timestamp)
        return { ok: false, reason: 'missing X-MLflow-Timestamp header' };
    if (!/^\d{1,12}$/.test(d.timestamp))
        return { ok: false, reason: 'X-MLflow-Timestamp is not Unix seconds' };
    if (!d.signature)
        return { ok: false, reason: 'missing X-MLflow-Signature header (is a secret set on the webhook?)' };
    const expected = (0,external_node_crypto_namespaceObject.createHmac)('sha256', secret).update(`${d.deliveryId}.${d.timestamp}.`).update(d.rawBody).digest();
    // Standard Webhooks allows several space-separated signatures (secret rotation); any v1 match wins.
    const matches = d.signature
        .split(' ')
        .filter((s) => s.startsWith('v1,'))
        .some((s) => sameBytes(Buffer.from(s.slice(3), 'base64'), expected));
    if (!matches)
        return { ok: false, reason: 'signature does not match' };
    // Checked after the signature, so only a genuine but old (or early) delivery is told it is stale.
    const timestampSeconds = Number(d.timestamp);
    if (Math.abs(nowSeconds - timestampSeconds) > toleranceSeconds) {
        return { ok: false, reason: `timestamp outside the ${toleranceSeconds} s window (replayed, or clocks disagree)` };
    }
    return { ok: true, deliveryId: d.deliveryId, timestampSeconds };
}
/** Constant-time for equal lengths; a length mismatch says nothing about the secret. */
function sameBytes(a, b) {
    return a.length === b.length && (0,external_node_crypto_namespaceObject.timingSafeEqual)(a, b);
}

;// CONCATENATED MODULE: ./packages/webhook-relay/src/work-queue.ts
/**
 * Runs jobs with at most `concurrency` in flight. GitHub asks integrations to send mutating
 * requests serially (its secondary rate limits punish bursts), so the relay answers MLflow at once
 * and lets this queue pace the calls to GitHub.
 */
class WorkQueue {
    concurrency;
    waiting = [];
    running = 0;
    idleWaiters = [];
    constructor(concurrency) {
        this.concurrency = concurrency;
    }
    /** Jobs must not throw: a job reports its own failure. */
    push(job) {
        this.waiting.push(job);
        this.pump();
    }
    get pending() {
        return this.waiting.length + this.running;
    }
    /** Resolves once every job pushed so far has finished. */
    idle() {
        if (this.pending === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    pump() {
        while (this.running < this.concurrency && this.waiting.length > 0) {
            const job = this.waiting.shift();
            this.running++;
            void job().finally(() => {
                this.running--;
                this.pump();
                if (this.pending === 0)
                    for (const wake of this.idleWaiters.splice(0))
                        wake();
            });
        }
    }
}

;// CONCATENATED MODULE: ./packages/webhook-relay/src/relay-server.ts






function createRelay(opts) {
    const ledger = new DeliveryLedger(opts.toleranceSeconds);
    const queue = new WorkQueue(opts.concurrency);
    const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
    const counts = { received: 0, rejected: 0, duplicates: 0, ignored: 0, accepted: 0, relayed: 0, failed: 0 };
    const log = opts.logger;
    const relay = (event, deliveryId) => async () => {
        const request = toDispatchRequest(event, deliveryId, opts.eventTypePrefix);
        const what = `delivery ${deliveryId} ${event.event} ${describeModel(event)}`;
        try {
            const outcome = await opts.dispatcher.dispatch(request);
            const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
            if (outcome.ok) {
                counts.relayed++;
                log.info(`${what}: dispatched ${request.event_type} (HTTP ${outcome.status}, ${tries})`);
            }
            else {
                counts.failed++;
                log.warning(`${what}: not dispatched after ${tries}: ${outcome.reason}`);
            }
        }
        catch (e) {
            counts.failed++;
            log.warning(`${what}: not dispatched: ${e.message}`);
        }
    };
    const handle = (req, res, rawBody) => {
        counts.received++;
        const verdict = verifyDelivery({
            deliveryId: header(req, DELIVERY_ID_HEADER),
            timestamp: header(req, TIMESTAMP_HEADER),
            signature: header(req, SIGNATURE_HEADER),
            rawBody,
        }, opts.secret, opts.toleranceSeconds);
        if (!verdict.ok) {
            counts.rejected++;
            log.warning(`refused a delivery from ${req.socket.remoteAddress}: ${verdict.reason}`);
            reply(res, 401, { error: verdict.reason });
            return;
        }
        let event;
        try {
            event = (0,mlflow_event/* parseMlflowEvent */.tR)(rawBody);
        }
        catch (e) {
            if (!(e instanceof mlflow_event/* MalformedEvent */.QI))
                throw e;
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
    const server = external_node_http_default().createServer((req, res) => {
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
        readBody(req, maxBody).then((body) => (body ? handle(req, res, body) : reply(res, 413, { error: `body over ${maxBody} bytes` }, true)), () => res.destroy());
    });
    // A slow or stalled sender cannot hold a connection for long.
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    const stats = () => ({ ...counts, pending: queue.pending });
    return {
        server,
        stats,
        async close(graceMs) {
            await new Promise((resolve) => {
                server.close(() => resolve());
                server.closeIdleConnections();
            });
            let timer;
            const gaveUp = new Promise((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
            const result = await Promise.race([queue.idle(), gaveUp]);
            clearTimeout(timer);
            if (result === 'timeout')
                log.warning(`stopped with ${queue.pending} deliveries not yet dispatched`);
        },
    };
}
function describeModel(e) {
    // Registry text is quoted: a newline in a model name cannot forge a log line.
    const parts = [e.name !== undefined ? JSON.stringify(e.name) : undefined, e.version && `v${e.version}`];
    if (e.alias !== undefined)
        parts.push(`@${JSON.stringify(e.alias)}`);
    return parts.filter(Boolean).join(' ');
}
function header(req, name) {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
}
/** The body, or undefined once it passes `limit` bytes (the rest is not read into memory). */
function readBody(req, limit) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let over = false;
        req.on('data', (c) => {
            size += c.length;
            if (size > limit)
                over = true;
            else
                chunks.push(c);
        });
        req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
        req.on('error', reject);
    });
}
function reply(res, status, body, close = false) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...(close ? { connection: 'close' } : {}),
    });
    res.end(text);
}


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 67:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(723);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
