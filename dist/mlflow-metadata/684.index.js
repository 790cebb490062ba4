export const id = 684;
export const ids = [684];
export const modules = {

/***/ 9684:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/src/errors.ts
var errors = __webpack_require__(8826);
// EXTERNAL MODULE: ./packages/action-kit/src/workflow.ts + 2 modules
var workflow = __webpack_require__(4643);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
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
        let lastError;
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
                lastError = err;
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
        // unreachable; keeps the compiler sure of the return type
        throw lastError;
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
                        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decode(Buffer.concat(chunks), res.headers) });
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
            return (0,external_node_zlib_.gunzipSync)(body);
        case 'br':
            return (0,external_node_zlib_.brotliDecompressSync)(body);
        case 'deflate':
            return (0,external_node_zlib_.inflateSync)(body);
        default:
            return body;
    }
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
            return `no answer within ${Math.round(timeoutMs / 1000)} s`;
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

;// CONCATENATED MODULE: ./packages/mlflow-client/src/client.ts



/** An MLflow API error with the server's error_code, mapped to a message a person can act on. */
class MlflowApiError extends errors/* ServiceError */._7 {
    serverMessage;
    constructor(message, status, code, serverMessage) {
        super(message, status, code);
        this.serverMessage = serverMessage;
    }
}
const API = 'api/2.0/mlflow/';
class MlflowClient {
    opts;
    baseUrl;
    http;
    log;
    authHeader;
    pageSize;
    constructor(opts) {
        this.opts = opts;
        const base = new URL(opts.trackingUri);
        if (!base.pathname.endsWith('/'))
            base.pathname += '/';
        this.baseUrl = base;
        this.log = opts.logger ?? silentLogger;
        this.pageSize = opts.pageSize ?? 5000;
        this.http = new HttpClient({
            policy: opts.retry,
            tls: opts.tls,
            logger: this.log,
            userAgent: 'mlflow-deploy-actions (mlflow-metadata)',
        });
        const a = opts.auth;
        this.authHeader =
            a.kind === 'basic'
                ? `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`
                : a.kind === 'bearer'
                    ? `Bearer ${a.token}`
                    : undefined;
    }
    close() {
        this.http.close();
    }
    /** The tracking URI as people see it in the UI, for links (no trailing slash). */
    get uiBase() {
        return this.baseUrl.href.replace(/\/+$/, '');
    }
    async get(endpoint, query) {
        const url = new URL(API + endpoint, this.baseUrl);
        for (const [k, v] of Object.entries(query))
            if (v !== undefined)
                url.searchParams.set(k, String(v));
        return this.call('GET', url);
    }
    async post(endpoint, body) {
        return this.call('POST', new URL(API + endpoint, this.baseUrl), JSON.stringify(body));
    }
    async call(method, url, body) {
        const headers = { accept: 'application/json' };
        if (this.authHeader)
            headers.authorization = this.authHeader;
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        const where = `MLflow at ${this.uiBase}`;
        let res;
        try {
            res = await this.http.request({ method, url, headers, body });
        }
        catch (e) {
            if (e instanceof NetworkError) {
                throw new errors/* ServiceError */._7(`cannot reach ${where}: ${e.message}. Check tracking-uri and that the server is up`);
            }
            throw e;
        }
        this.log.debug(`${method} ${url.pathname}${url.search} -> ${res.status}${res.attempts > 1 ? ` after ${res.attempts} attempts` : ''}`);
        const text = res.body.toString('utf8');
        const type = String(res.headers['content-type'] ?? '');
        let json;
        try {
            json = text === '' ? {} : JSON.parse(text);
        }
        catch {
            json = undefined;
        }
        const looksHtml = /html/i.test(type) || /^\s*<(!doctype|html|head|body)/i.test(text);
        if (res.status >= 200 && res.status < 300) {
            if (json === undefined || typeof json !== 'object' || json === null) {
                throw new errors/* ServiceError */._7(looksHtml
                    ? `${this.uiBase} answered with an HTML page, not MLflow's JSON API (a login page or a proxy?): point tracking-uri at the MLflow tracking server itself`
                    : `${this.uiBase} does not look like an MLflow tracking server (${endpoint(url)} answered ${type || 'no content type'}, not JSON)`);
            }
            return json;
        }
        const err = (json ?? {});
        const error = this.mapError(res.status, err.error_code, err.message, url, looksHtml, res.headers.location);
        if (res.attempts > 1) {
            throw new MlflowApiError(`${error.message} (gave up after ${res.attempts} attempts)`, error.status ?? res.status, error.code, error.serverMessage);
        }
        throw error;
    }
    mapError(status, code, message, url, html, location) {
        const where = this.uiBase;
        if (status === 401) {
            const hint = this.opts.auth.kind === 'none'
                ? 'set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN), or the username/password/token inputs'
                : `the ${this.opts.auth.kind === 'basic' ? 'username and password were' : 'token was'} rejected: check the secret`;
            return new MlflowApiError(`MLflow at ${where} answered 401 Unauthenticated: ${hint}`, status, code, message);
        }
        if (status === 403) {
            const who = this.opts.auth.kind === 'basic' ? `user '${this.opts.auth.username}'` : 'these credentials';
            return new MlflowApiError(`MLflow at ${where} answered 403 Permission denied: ${who} may not read ${endpoint(url)}; grant READ on the model or use another account`, status, code, message);
        }
        if (status >= 300 && status < 400) {
            return new MlflowApiError(`${where} redirected to ${location ?? 'another page'} (HTTP ${status}), which MLflow's API never does: a login proxy? Point tracking-uri at the MLflow server`, status, code, message);
        }
        if (!code) {
            const what = html ? 'an HTML page' : 'a body that is not MLflow JSON';
            if (status === 404) {
                return new MlflowApiError(`${where} has no MLflow REST API (${endpoint(url)} answered 404 with ${what}): check tracking-uri`, status, code, message);
            }
            return new MlflowApiError(`${where} answered HTTP ${status} with ${what} for ${endpoint(url)}`, status, code, message);
        }
        if (code === 'ENDPOINT_NOT_FOUND') {
            return new MlflowApiError(`MLflow at ${where} does not support ${endpoint(url)} (too old a server?)`, status, code, message);
        }
        return new MlflowApiError(`MLflow at ${where} answered ${status} ${code}: ${message ?? ''}`.trim(), status, code, message);
    }
    // ---- endpoints -------------------------------------------------------------------------
    async getRegisteredModel(name) {
        return (await this.get('registered-models/get', { name })).registered_model ?? {};
    }
    async getModelVersion(name, version) {
        return (await this.get('model-versions/get', { name, version })).model_version ?? {};
    }
    async getModelVersionByAlias(name, alias) {
        return (await this.get('registered-models/alias', { name, alias })).model_version ?? {};
    }
    async getLatestVersions(name, stages) {
        return (await this.post('registered-models/get-latest-versions', { name, stages })).model_versions ?? [];
    }
    async getRun(runId) {
        return (await this.get('runs/get', { run_id: runId })).run ?? {};
    }
    async getExperiment(experimentId) {
        return (await this.get('experiments/get', { experiment_id: experimentId })).experiment ?? {};
    }
    /** Every point of one metric, following next_page_token (absent on the last page). */
    async getMetricHistory(runId, key) {
        const out = [];
        let token;
        do {
            const page = await this.get('metrics/get-history', {
                run_id: runId,
                metric_key: key,
                max_results: this.pageSize,
                page_token: token,
            });
            for (const m of page.metrics ?? []) {
                out.push({ step: Number(m.step ?? 0), timestamp: Number(m.timestamp ?? 0), value: metricValue(m.value) });
            }
            token = page.next_page_token || undefined;
        } while (token);
        return out;
    }
    /** All registered model names (for suggestions on a typo), bounded to `limit`. */
    async listRegisteredModelNames(limit = 5000) {
        const names = [];
        let token;
        do {
            const page = await this.get('registered-models/search', {
                max_results: Math.min(1000, limit),
                page_token: token,
            });
            for (const m of page.registered_models ?? [])
                if (m.name)
                    names.push(m.name);
            token = page.next_page_token || undefined;
        } while (token && names.length < limit);
        return names;
    }
    /** Version numbers of a model, newest first, bounded to `limit`. */
    async listVersions(name, limit = 1000) {
        const versions = [];
        let token;
        do {
            const page = await this.get('model-versions/search', {
                filter: `name=${quoteFilterValue(name)}`,
                max_results: Math.min(200, limit),
                order_by: 'version_number DESC',
                page_token: token,
            });
            for (const v of page.model_versions ?? [])
                if (v.version)
                    versions.push(v.version);
            token = page.next_page_token || undefined;
        } while (token && versions.length < limit);
        return versions.sort((a, b) => Number(b) - Number(a));
    }
}
/** MLflow's filter grammar takes single- or double-quoted strings with no escape for the quote itself. */
function quoteFilterValue(s) {
    return s.includes("'") ? `"${s}"` : `'${s}'`;
}
/** Protobuf's JSON writes non-finite doubles as strings; keep those, coerce the rest to numbers. */
function metricValue(v) {
    if (typeof v === 'number')
        return v;
    if (v === undefined)
        return 0;
    const n = Number(v);
    return Number.isFinite(n) ? n : v === 'Infinity' || v === '-Infinity' ? v : 'NaN';
}
function endpoint(url) {
    return url.pathname.replace(/^.*\/api\/2\.0\/mlflow\//, '');
}

;// CONCATENATED MODULE: ./packages/mlflow-client/src/similar.ts
/** Damerau-free Levenshtein distance, case-insensitive: enough to suggest a mistyped model name. */
function editDistance(a, b) {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const cur = [i];
        for (let j = 1; j <= t.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[t.length];
}
/**
 * The names closest to `wanted`: substring matches first, then by edit distance, keeping only
 * those within half the length of the wanted name so unrelated names are not offered.
 */
function closestNames(wanted, names, max = 3) {
    const w = wanted.toLowerCase();
    const scored = names.map((n) => {
        const l = n.toLowerCase();
        const contains = l.includes(w) || w.includes(l);
        return { n, d: contains ? 0.5 : editDistance(wanted, n) };
    });
    const limit = Math.max(2, Math.ceil(wanted.length / 2));
    return scored
        .filter((x) => x.d <= limit)
        .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
        .slice(0, max)
        .map((x) => x.n);
}

;// CONCATENATED MODULE: ./packages/mlflow-client/src/resolve.ts



const STAGES = ['None', 'Staging', 'Production', 'Archived'];
const notFound = (e) => e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST';
/**
 * Finds the model version a workflow names, by number, alias or legacy stage. The registered
 * model is read in parallel with the version (one round trip, not two), and every miss is
 * answered with what does exist, so the user can fix the input without opening the UI.
 */
async function resolveModelVersion(client, name, ref) {
    const modelP = client.getRegisteredModel(name);
    // Only the version and alias lookups can run beside the model lookup; a stage needs the model.
    const versionP = ref.kind === 'version' ? client.getModelVersion(name, ref.version) : ref.kind === 'alias' ? client.getModelVersionByAlias(name, ref.alias) : undefined;
    versionP?.catch(() => undefined); // handled below, after we know whether the model exists
    let registeredModel;
    try {
        registeredModel = await modelP;
    }
    catch (e) {
        if (notFound(e))
            throw await unknownModel(client, name);
        throw e;
    }
    let modelVersion;
    if (ref.kind === 'stage') {
        modelVersion = await byStage(client, name, ref.stage, registeredModel);
    }
    else {
        try {
            modelVersion = await versionP;
        }
        catch (e) {
            if (ref.kind === 'version' && notFound(e))
                throw await unknownVersion(client, name, ref.version);
            if (ref.kind === 'alias' && e instanceof MlflowApiError) {
                if (e.code === 'ENDPOINT_NOT_FOUND') {
                    throw new errors/* ServiceError */._7(`this MLflow server does not support aliases (added in MLflow 2.3): use model-version or model-stage instead of model-alias`);
                }
                // The server says INVALID_PARAMETER_VALUE ("alias ... not found"), or 404 on some versions.
                if (e.code === 'INVALID_PARAMETER_VALUE' || notFound(e))
                    throw unknownAlias(name, ref.alias, registeredModel);
            }
            throw e;
        }
    }
    checkStatus(name, modelVersion);
    return { registeredModel, modelVersion };
}
async function byStage(client, name, stage, model) {
    // registered-models/get carries the latest version of each stage; older or trimmed servers may
    // leave it out, then the (deprecated but still served) get-latest-versions call answers.
    let latest = model.latest_versions;
    if (!latest)
        latest = await client.getLatestVersions(name, [...STAGES]);
    const hit = latest.find((v) => (v.current_stage ?? 'None').toLowerCase() === stage.toLowerCase());
    if (!hit?.version) {
        const inUse = latest
            .filter((v) => v.current_stage && v.current_stage !== 'None')
            .map((v) => `${v.current_stage} (version ${v.version})`);
        throw new errors/* ServiceError */._7(`model '${name}' has no version in stage '${stage}'; ${inUse.length ? `stages in use: ${inUse.join(', ')}` : 'no version is in any stage'} (stages are deprecated in MLflow 3: prefer model-alias)`);
    }
    // latest_versions entries lack aliases and some fields: read the full version.
    return client.getModelVersion(name, hit.version);
}
async function unknownModel(client, name) {
    let names = [];
    try {
        names = await client.listRegisteredModelNames();
    }
    catch {
        // Suggestions are a courtesy; a server that refuses the search still gets the plain message.
    }
    const close = closestNames(name, names);
    const hint = close.length
        ? `closest existing names: ${close.map((n) => `'${n}'`).join(', ')}`
        : names.length
            ? `no similar name among the ${names.length} registered models`
            : 'the registry has no registered models';
    return new errors/* ServiceError */._7(`model '${name}' not found in the MLflow registry; ${hint}`);
}
async function unknownVersion(client, name, version) {
    let versions = [];
    try {
        versions = await client.listVersions(name);
    }
    catch {
        // as above
    }
    const list = versions.length
        ? `existing versions: ${versions.length > 20 ? `${versions.slice(0, 20).join(', ')}, … (${versions.length} in all)` : versions.join(', ')}`
        : 'the model has no versions yet';
    return new errors/* ServiceError */._7(`model '${name}' has no version ${version}; ${list}`);
}
function unknownAlias(name, alias, model) {
    const aliases = (model.aliases ?? []).filter((a) => a.alias).map((a) => `'${a.alias}' (version ${a.version})`);
    return new errors/* ServiceError */._7(`model '${name}' has no alias '${alias}'; ${aliases.length ? `its aliases: ${aliases.join(', ')}` : 'it has no aliases'}`);
}
function checkStatus(name, v) {
    const status = v.status ?? 'READY';
    if (status === 'PENDING_REGISTRATION') {
        throw new errors/* ServiceError */._7(`model '${name}' version ${v.version} is still PENDING_REGISTRATION: wait until its registration finishes, then run again`);
    }
    if (status === 'FAILED_REGISTRATION') {
        const why = v.status_message ? ` (${v.status_message})` : '';
        throw new errors/* ServiceError */._7(`model '${name}' version ${v.version} is FAILED_REGISTRATION${why}: register the model again and deploy the new version`);
    }
}

;// CONCATENATED MODULE: ./packages/action-kit/src/concurrency.ts
/** Maps with at most `limit` promises in flight, keeping input order in the result. */
async function mapLimit(items, limit, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return out;
}

;// CONCATENATED MODULE: ./packages/mlflow-client/src/metadata.ts




/**
 * Reads one model version, its registered model, run and experiment, and the metric histories
 * asked for, and shapes them into the metadata contract. Calls that do not depend on each other
 * run together: model + version, then run, then experiment + histories.
 */
async function fetchModelMetadata(client, opts) {
    const { registeredModel, modelVersion } = await resolveModelVersion(client, opts.modelName, opts.ref);
    const runId = modelVersion.run_id || undefined;
    let run;
    if (runId) {
        try {
            run = await client.getRun(runId);
        }
        catch (e) {
            // A version may point at a run in another workspace or a deleted one: the registry
            // data is still worth deploying, so go on without run data rather than fail.
            if (!(e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST'))
                throw e;
        }
    }
    const latest = run?.data?.metrics ?? [];
    const keys = historyKeys(opts.metricHistory, latest.map((m) => m.key ?? ''), runId);
    const experimentId = run?.info?.experiment_id;
    const [experiment, histories] = await Promise.all([
        experimentId ? client.getExperiment(experimentId).catch(() => undefined) : Promise.resolve(undefined),
        mapLimit(keys, opts.historyConcurrency ?? 8, (k) => client.getMetricHistory(runId, k)),
    ]);
    const metricHistory = {};
    keys.forEach((k, i) => (metricHistory[k] = histories[i]));
    return toModelMetadata({
        uiBase: client.uiBase,
        registeredModel,
        modelVersion,
        run,
        experiment,
        metricHistory,
        fetchedAt: (opts.now ?? (() => new Date()))(),
    });
}
function historyKeys(req, logged, runId) {
    if (req.kind === 'none')
        return [];
    if (req.kind === 'all')
        return logged.filter(Boolean).sort();
    const missing = req.keys.filter((k) => !logged.includes(k));
    if (missing.length) {
        const have = logged.length ? `it logged: ${logged.sort().slice(0, 30).join(', ')}` : 'it logged no metrics';
        throw new errors/* ServiceError */._7(`metric-history asks for ${missing.map((k) => `'${k}'`).join(', ')}, not logged in run ${runId ?? '(none)'}; ${have}`);
    }
    return req.keys;
}
const toMap = (kvs, keep = () => true) => {
    const out = {};
    for (const { key, value } of kvs ?? [])
        if (key !== undefined && keep(key))
            out[key] = value ?? '';
    return out;
};
const ts = (v) => (v === undefined || v === '' ? null : Number(v));
const str = (v) => (v === undefined ? null : v);
/**
 * Pure mapping from MLflow REST shapes to the metadata contract, tolerant of every missing field
 * (older servers omit aliases, model_id, even empty lists).
 */
function toModelMetadata(input) {
    const { uiBase, registeredModel: rm, modelVersion: mv, run, experiment } = input;
    const name = mv.name ?? rm.name ?? '';
    const version = mv.version ?? '';
    const enc = encodeURIComponent;
    const metrics = {};
    for (const m of run?.data?.metrics ?? [])
        if (m.key !== undefined)
            metrics[m.key] = metricValue(m.value);
    const runTags = toMap(run?.data?.tags);
    const info = run?.info;
    const runId = info?.run_id ?? info?.run_uuid ?? mv.run_id;
    const runInfo = run && runId
        ? {
            run_id: runId,
            experiment_id: info?.experiment_id ?? '',
            experiment_name: experiment?.name ?? null,
            run_name: str(info?.run_name ?? runTags['mlflow.runName']),
            status: str(info?.status),
            start_time: ts(info?.start_time),
            end_time: ts(info?.end_time),
            user_id: str(info?.user_id || runTags['mlflow.user']),
            git_commit: str(runTags['mlflow.source.git.commit']),
            artifact_uri: str(info?.artifact_uri),
            lifecycle_stage: str(info?.lifecycle_stage),
        }
        : null;
    const expId = runInfo?.experiment_id;
    const aliasMap = {};
    for (const a of rm.aliases ?? [])
        if (a.alias && a.version)
            aliasMap[a.alias] = a.version;
    // Older servers give no aliases on the version: derive them from the registered model's.
    const aliases = mv.aliases ?? Object.keys(aliasMap).filter((a) => aliasMap[a] === version);
    return {
        schema_version: 1,
        model_name: name,
        version,
        stage: mv.current_stage ?? 'None',
        description: str(mv.description),
        run_id: str(mv.run_id || undefined),
        source_artifact_uri: str(mv.source),
        created_timestamp: ts(mv.creation_timestamp),
        last_updated_timestamp: ts(mv.last_updated_timestamp),
        metrics,
        params: toMap(run?.data?.params),
        tags: toMap(run?.data?.tags, (k) => !k.startsWith('mlflow.')),
        aliases: [...new Set(aliases)].sort(),
        status: mv.status ?? 'READY',
        model_id: str(mv.model_id),
        model_version_tags: toMap(mv.tags),
        registered_model: {
            name: rm.name ?? name,
            description: str(rm.description),
            tags: toMap(rm.tags),
            aliases: aliasMap,
            created_timestamp: ts(rm.creation_timestamp),
            last_updated_timestamp: ts(rm.last_updated_timestamp),
        },
        run: runInfo,
        metric_history: input.metricHistory,
        tracking_uri: uiBase,
        links: {
            registered_model: `${uiBase}/#/models/${enc(name)}`,
            model_version: `${uiBase}/#/models/${enc(name)}/versions/${enc(version)}`,
            run: runInfo && expId ? `${uiBase}/#/experiments/${enc(expId)}/runs/${enc(runInfo.run_id)}` : null,
            experiment: expId ? `${uiBase}/#/experiments/${enc(expId)}` : null,
        },
        fetched_at: input.fetchedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
}

// EXTERNAL MODULE: ./packages/mlflow-client/src/config.ts
var config = __webpack_require__(3097);
;// CONCATENATED MODULE: ./packages/mlflow-client/src/index.ts







// EXTERNAL MODULE: ./node_modules/ajv/dist/2020.js
var _2020 = __webpack_require__(2210);
;// CONCATENATED MODULE: ./packages/model-metadata/schemas/model-metadata.schema.json
const model_metadata_schema_namespaceObject = /*#__PURE__*/JSON.parse('{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://github.com/mlflow-deploy-actions/schemas/model-metadata.schema.json","title":"MLflow model metadata (mlflow-metadata action output)","description":"One registered model version with its run, as written by the mlflow-metadata action and read by build-viewer. Fields model_name … tags keep the names of the original hand-written script.","type":"object","additionalProperties":false,"required":["schema_version","model_name","version","stage","description","run_id","source_artifact_uri","created_timestamp","last_updated_timestamp","metrics","params","tags","aliases","status","model_id","model_version_tags","registered_model","run","metric_history","tracking_uri","links","fetched_at"],"$defs":{"stringMap":{"type":"object","additionalProperties":{"type":"string"}},"nullableString":{"type":["string","null"]},"timestamp":{"type":["integer","null"],"minimum":0},"metricValue":{"oneOf":[{"type":"number"},{"enum":["NaN","Infinity","-Infinity"]}]},"metricPoint":{"type":"object","additionalProperties":false,"required":["step","timestamp","value"],"properties":{"step":{"type":"integer"},"timestamp":{"type":"integer","minimum":0},"value":{"$ref":"#/$defs/metricValue"}}}},"properties":{"schema_version":{"const":1},"model_name":{"type":"string","minLength":1},"version":{"type":"string","pattern":"^[1-9][0-9]*$"},"stage":{"type":"string"},"description":{"$ref":"#/$defs/nullableString"},"run_id":{"$ref":"#/$defs/nullableString"},"source_artifact_uri":{"$ref":"#/$defs/nullableString"},"created_timestamp":{"$ref":"#/$defs/timestamp"},"last_updated_timestamp":{"$ref":"#/$defs/timestamp"},"metrics":{"type":"object","additionalProperties":{"$ref":"#/$defs/metricValue"}},"params":{"$ref":"#/$defs/stringMap"},"tags":{"$ref":"#/$defs/stringMap"},"aliases":{"type":"array","items":{"type":"string"},"uniqueItems":true},"status":{"enum":["READY","PENDING_REGISTRATION","FAILED_REGISTRATION"]},"model_id":{"$ref":"#/$defs/nullableString"},"model_version_tags":{"$ref":"#/$defs/stringMap"},"registered_model":{"type":"object","additionalProperties":false,"required":["name","description","tags","aliases","created_timestamp","last_updated_timestamp"],"properties":{"name":{"type":"string","minLength":1},"description":{"$ref":"#/$defs/nullableString"},"tags":{"$ref":"#/$defs/stringMap"},"aliases":{"type":"object","additionalProperties":{"type":"string","pattern":"^[1-9][0-9]*$"}},"created_timestamp":{"$ref":"#/$defs/timestamp"},"last_updated_timestamp":{"$ref":"#/$defs/timestamp"}}},"run":{"oneOf":[{"type":"null"},{"type":"object","additionalProperties":false,"required":["run_id","experiment_id","experiment_name","run_name","status","start_time","end_time","user_id","git_commit","artifact_uri","lifecycle_stage"],"properties":{"run_id":{"type":"string","minLength":1},"experiment_id":{"type":"string"},"experiment_name":{"$ref":"#/$defs/nullableString"},"run_name":{"$ref":"#/$defs/nullableString"},"status":{"$ref":"#/$defs/nullableString"},"start_time":{"$ref":"#/$defs/timestamp"},"end_time":{"$ref":"#/$defs/timestamp"},"user_id":{"$ref":"#/$defs/nullableString"},"git_commit":{"$ref":"#/$defs/nullableString"},"artifact_uri":{"$ref":"#/$defs/nullableString"},"lifecycle_stage":{"$ref":"#/$defs/nullableString"}}}]},"metric_history":{"type":"object","additionalProperties":{"type":"array","items":{"$ref":"#/$defs/metricPoint"}}},"tracking_uri":{"type":"string","pattern":"^https?://"},"links":{"type":"object","additionalProperties":false,"required":["registered_model","model_version","run","experiment"],"properties":{"registered_model":{"type":"string","pattern":"^https?://"},"model_version":{"type":"string","pattern":"^https?://"},"run":{"type":["string","null"],"pattern":"^https?://"},"experiment":{"type":["string","null"],"pattern":"^https?://"}}},"fetched_at":{"type":"string","pattern":"^\\\\d{4}-\\\\d{2}-\\\\d{2}T\\\\d{2}:\\\\d{2}:\\\\d{2}(\\\\.\\\\d+)?Z$"}}}');
;// CONCATENATED MODULE: ./packages/model-metadata/src/validate.ts



let compiled;
/**
 * Validates a metadata document against the published schema. Returns the problems (empty when
 * valid), the first one first; callers report the first with its JSON path.
 */
function validateMetadata(doc) {
    compiled ??= new _2020.Ajv2020({ allErrors: false, strict: true }).compile(model_metadata_schema_namespaceObject);
    if (compiled(doc))
        return [];
    return (compiled.errors ?? []).map((e) => {
        const path = '$' +
            e.instancePath
                .split('/')
                .slice(1)
                .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
                .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
                .join('');
        const extra = e.keyword === 'additionalProperties'
            ? ` ('${e.params.additionalProperty}')`
            : e.keyword === 'required'
                ? ''
                : e.keyword === 'enum'
                    ? `: ${JSON.stringify(e.params.allowedValues)}`
                    : '';
        return { path, message: `${e.message ?? 'is invalid'}${extra}` };
    });
}
function isModelMetadata(doc) {
    return validateMetadata(doc).length === 0;
}

;// CONCATENATED MODULE: ./packages/action-kit/src/markdown.ts
/** Markdown helpers for step summaries. Cell text is escaped so registry data cannot break a table. */
function mdEscape(s) {
    return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
function mdTable(header, rows) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}
function mdLink(text, url) {
    return `[${mdEscape(text)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

;// CONCATENATED MODULE: ./actions/mlflow-metadata/src/summary.ts


const MAX_METRIC_ROWS = 200;
function duration(start, end) {
    if (start === null || end === null)
        return '';
    const s = Math.round((end - start) / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
}
function fmt(v) {
    return typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : v;
}
const code = (s) => `\`${s.replace(/`/g, "'")}\``;
/** The step summary: what was read, with links into the MLflow UI, and the metrics table. */
function renderSummary(m, file) {
    const rows = [
        ['Model', mdLink(m.model_name, m.links.registered_model)],
        ['Version', mdLink(m.version, m.links.model_version)],
        ['Stage', mdEscape(m.stage)],
        ['Aliases', m.aliases.length ? m.aliases.map(code).join(' ') : '—'],
        ['Status', m.status],
    ];
    if (m.run) {
        const r = m.run;
        const name = r.run_name ?? r.run_id;
        const took = duration(r.start_time, r.end_time);
        rows.push(['Run', `${m.links.run ? mdLink(name, m.links.run) : mdEscape(name)} (${mdEscape(r.status ?? '?')}${took ? `, ${took}` : ''})`]);
        if (r.experiment_name || r.experiment_id)
            rows.push(['Experiment', m.links.experiment ? mdLink(r.experiment_name ?? r.experiment_id, m.links.experiment) : mdEscape(r.experiment_id)]);
        if (r.git_commit)
            rows.push(['Git commit', code(r.git_commit.slice(0, 12))]);
        if (r.user_id)
            rows.push(['User', mdEscape(r.user_id)]);
    }
    if (m.source_artifact_uri)
        rows.push(['Source', code(m.source_artifact_uri)]);
    rows.push(['Metadata file', `${code((0,external_node_path_.basename)(file.file))} (${(file.bytes / 1024).toFixed(1)} KiB)`]);
    let md = `### MLflow model ${code(m.model_name)} version ${m.version}\n\n${mdTable(['', ''], rows)}\n`;
    const keys = Object.keys(m.metrics).sort();
    if (keys.length) {
        const withHistory = Object.keys(m.metric_history).length > 0;
        const head = withHistory ? ['Metric', 'Latest value', 'History points'] : ['Metric', 'Latest value'];
        const metricRows = keys.slice(0, MAX_METRIC_ROWS).map((k) => {
            const row = [mdEscape(k), fmt(m.metrics[k])];
            if (withHistory)
                row.push(String(m.metric_history[k]?.length ?? '—'));
            return row;
        });
        md += `#### Metrics (${keys.length})\n\n${mdTable(head, metricRows)}`;
        if (keys.length > MAX_METRIC_ROWS)
            md += `\n… and ${keys.length - MAX_METRIC_ROWS} more in ${code((0,external_node_path_.basename)(file.file))}.\n`;
    }
    else {
        md += '_The run logged no metrics._\n';
    }
    return md;
}

;// CONCATENATED MODULE: ./actions/mlflow-metadata/src/main.ts







async function run(inputs) {
    const client = new MlflowClient({
        trackingUri: inputs.trackingUri,
        auth: inputs.auth,
        tls: inputs.tls,
        retry: inputs.retry,
        logger: workflow/* workflowLogger */.aw,
    });
    const started = performance.now();
    let metadata;
    try {
        metadata = await (0,workflow/* group */.Os)(`Read '${inputs.modelName}' from MLflow at ${inputs.trackingUri}`, async () => {
            const m = await fetchModelMetadata(client, {
                modelName: inputs.modelName,
                ref: inputs.ref,
                metricHistory: inputs.metricHistory,
            });
            const how = inputs.ref.kind === 'version' ? '' : ` (${inputs.ref.kind} '${inputs.ref.kind === 'alias' ? inputs.ref.alias : inputs.ref.stage}')`;
            (0,workflow/* info */.pq)(`Model '${m.model_name}' version ${m.version}${how}: stage ${m.stage}, aliases [${m.aliases.join(', ')}], run ${m.run_id ?? '(none)'}`);
            const points = Object.values(m.metric_history).reduce((n, h) => n + h.length, 0);
            if (inputs.metricHistory.kind !== 'none')
                (0,workflow/* info */.pq)(`Metric history: ${Object.keys(m.metric_history).length} metrics, ${points} points`);
            return m;
        });
    }
    finally {
        client.close();
    }
    // The producer checks its own output against the published schema: a consumer never gets a
    // file that the contract does not describe.
    const problems = validateMetadata(metadata);
    if (problems.length) {
        throw new errors/* ServiceError */._7(`the metadata read from MLflow does not match the schema at ${problems[0].path}: ${problems[0].message} (please report this)`);
    }
    const json = JSON.stringify(metadata, null, 2) + '\n';
    writeAtomically(inputs.outputFile, json);
    const ms = performance.now() - started;
    (0,workflow/* info */.pq)(`Wrote ${(0,external_node_path_.relative)(process.cwd(), inputs.outputFile) || inputs.outputFile} (${json.length} bytes) in ${Math.round(ms)} ms`);
    (0,workflow/* setOutput */.uH)('metadata-file', inputs.outputFile);
    (0,workflow/* setOutput */.uH)('model-version', metadata.version);
    (0,workflow/* setOutput */.uH)('run-id', metadata.run_id ?? '');
    (0,workflow/* setOutput */.uH)('source-uri', metadata.source_artifact_uri ?? '');
    (0,workflow/* setOutput */.uH)('stage', metadata.stage);
    (0,workflow/* setOutput */.uH)('aliases', JSON.stringify(metadata.aliases));
    (0,workflow/* appendSummary */.fe)(renderSummary(metadata, { file: inputs.outputFile, bytes: Buffer.byteLength(json) }));
}
/** Write next to the target and rename: a reader never sees half a file, a failure leaves the old one. */
function writeAtomically(file, data) {
    const tmp = (0,external_node_path_.join)((0,external_node_path_.dirname)(file), `.${(0,external_node_path_.basename)(file)}.${process.pid}.tmp`);
    try {
        (0,external_node_fs_.writeFileSync)(tmp, data, { encoding: 'utf8', flag: 'wx' });
        (0,external_node_fs_.renameSync)(tmp, file);
    }
    catch (e) {
        (0,external_node_fs_.rmSync)(tmp, { force: true });
        throw new errors/* ServiceError */._7(`input 'output-file' could not be written ('${file}'): ${e.message}`);
    }
}


/***/ })

};
