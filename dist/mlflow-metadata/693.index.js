export const id = 693;
export const ids = [693];
export const modules = {

/***/ 52693:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3ArtifactStore: () => (/* binding */ S3ArtifactStore)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(37067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(44708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(53711);
/* harmony import */ var _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48826);
/* harmony import */ var _store_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(41966);





/**
 * Reads a model straight from S3 when the registry's source is an s3:// location (a server run
 * with --no-serve-artifacts and an S3 artifact root): no tracking server in the data path.
 */
class S3ArtifactStore {
    bucket;
    key;
    uri;
    s3;
    agents;
    constructor(bucket, key, uri, opts = {}) {
        this.bucket = bucket;
        this.key = key;
        this.uri = uri;
        const sockets = Math.max(1, opts.concurrency ?? 8) + 2;
        const agentOptions = { keepAlive: true, maxSockets: sockets };
        this.agents = [new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent(agentOptions), new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent(agentOptions)];
        const config = {
            region: opts.region || 'us-east-1',
            maxAttempts: opts.maxAttempts ?? 5,
            requestHandler: {
                httpAgent: this.agents[0],
                httpsAgent: this.agents[1],
                connectionTimeout: 10_000,
                requestTimeout: opts.requestTimeoutMs ?? 120_000,
            },
            // The sizes are checked against the listing; S3's own checksums are not asked for.
            responseChecksumValidation: 'WHEN_REQUIRED',
        };
        if (opts.endpoint)
            Object.assign(config, { endpoint: opts.endpoint, forcePathStyle: true });
        if (opts.credentials)
            config.credentials = opts.credentials;
        this.s3 = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .S3Client */ .YxF(config);
    }
    async list(signal) {
        const prefix = this.key === '' ? '' : `${this.key}/`;
        const files = [];
        let token;
        do {
            const page = await this.send(() => this.s3.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .ListObjectsV2Command */ .u6x({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }), {
                abortSignal: signal,
            }), 'list');
            for (const o of page.Contents ?? []) {
                if (!o.Key || o.Key.endsWith('/'))
                    continue; // "folder" markers some tools write
                const rel = (0,_store_js__WEBPACK_IMPORTED_MODULE_3__/* .safeRelativePath */ .l)(o.Key.slice(prefix.length).split('/'), this.uri);
                files.push({ path: rel, remote: o.Key, size: o.Size });
            }
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        if (files.length === 0 && this.key !== '') {
            // Not a "directory": maybe the source is one object.
            const one = await this.send(() => this.s3.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .ListObjectsV2Command */ .u6x({ Bucket: this.bucket, Prefix: this.key, MaxKeys: 1 })), 'list');
            const o = one.Contents?.[0];
            if (o?.Key === this.key)
                return [{ path: (0,_store_js__WEBPACK_IMPORTED_MODULE_3__/* .safeRelativePath */ .l)([this.key.split('/').pop()], this.uri), remote: o.Key, size: o.Size }];
        }
        return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
    async open(file, signal, range) {
        const res = await this.send(() => this.s3.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .GetObjectCommand */ .jLs({
            Bucket: this.bucket,
            Key: file.remote,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }), { abortSignal: signal }), `read ${file.path}`);
        if (!res.Body)
            throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`s3://${this.bucket}/${file.remote} answered without a body`);
        const ranged = range !== undefined && (res.ContentRange ?? '').startsWith(`bytes ${range.start}-${range.end}/`);
        return { body: res.Body, ranged };
    }
    close() {
        this.s3.destroy();
        for (const a of this.agents)
            a.destroy();
    }
    /** S3's refusals as one line naming the bucket; connection errors pass through to be retried. */
    async send(call, what) {
        try {
            return await call();
        }
        catch (e) {
            const err = e;
            const status = err.$metadata?.httpStatusCode;
            if (status === undefined)
                throw e;
            const where = `s3://${this.bucket}/${this.key}`;
            if (status === 403 || err.name === 'AccessDenied') {
                throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`S3 denied ${what} of ${where} (${err.name}): give the runner's AWS credentials s3:ListBucket and s3:GetObject on it`);
            }
            if (err.name === 'NoSuchBucket')
                throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`the model's bucket ${this.bucket} does not exist (source ${this.uri})`);
            throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_2__/* .ServiceError */ ._7(`S3 answered ${status} ${err.name} to ${what} of ${where}: ${err.message}`);
        }
    }
}


/***/ })

};
