export const id = 248;
export const ids = [248];
export const modules = {

/***/ 248:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubPullRequests: () => (/* binding */ GitHubPullRequests)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8826);


/**
 * Pull-request mode on GitHub through @actions/github's Octokit: find the open PR for a head
 * branch, open one, or update its title and body. Errors become one line that says what to do
 * (a token without `pull-requests: write` is the usual one).
 */
class GitHubPullRequests {
    octokit;
    owner;
    repo;
    constructor(opts) {
        const [owner, repo] = opts.repository.split('/');
        if (!owner || !repo)
            throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ServiceError */ ._7(`repository '${opts.repository}' is not owner/name`);
        this.owner = owner;
        this.repo = repo;
        // Octokit's own retry/throttle plugins are not loaded: the write-back engine decides retries.
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(opts.token, opts.apiUrl ? { baseUrl: opts.apiUrl } : {});
    }
    async findOpen(head, base) {
        const res = await this.call('list pull requests', () => 
        // `head` must be owner:branch, or GitHub ignores the filter and lists every open PR.
        this.octokit.rest.pulls.list({
            owner: this.owner,
            repo: this.repo,
            state: 'open',
            head: `${this.owner}:${head}`,
            base,
            per_page: 10,
        }));
        const pr = res.data.find((p) => p.head.ref === head && p.base.ref === base);
        return pr ? { number: pr.number, url: pr.html_url } : undefined;
    }
    async create(pr) {
        const res = await this.call('open a pull request', () => this.octokit.rest.pulls.create({
            owner: this.owner,
            repo: this.repo,
            head: pr.head,
            base: pr.base,
            title: pr.title,
            body: pr.body,
        }));
        return { number: res.data.number, url: res.data.html_url };
    }
    async update(number, pr) {
        const res = await this.call(`update pull request #${number}`, () => this.octokit.rest.pulls.update({
            owner: this.owner,
            repo: this.repo,
            pull_number: number,
            title: pr.title,
            body: pr.body,
        }));
        return { number: res.data.number, url: res.data.html_url };
    }
    async call(what, fn) {
        try {
            return await fn();
        }
        catch (e) {
            const err = e;
            // GitHub's most specific words first: the validation errors, then its message, then Octokit's.
            const listed = (err.response?.data?.errors ?? [])
                .map((x) => x.message)
                .filter(Boolean)
                .join('; ');
            const detail = [listed, err.response?.data?.message, err.message].find((m) => m !== undefined && m !== '') ??
                'no detail given';
            const where = `${this.owner}/${this.repo}`;
            if (err.status === 401)
                throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ServiceError */ ._7(`GitHub refused the token to ${what} in ${where} (401): check the token input`, 401);
            if (err.status === 403 || err.status === 404) {
                throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ServiceError */ ._7(`GitHub answered ${err.status} to ${what} in ${where}: the token needs 'pull-requests: write' on that repository (${detail})`, err.status);
            }
            throw new _mlflow_actions_action_kit_errors__WEBPACK_IMPORTED_MODULE_1__/* .ServiceError */ ._7(`GitHub could not ${what} in ${where}: ${err.status ?? ''} ${detail}`.replace(/\s+/g, ' '), err.status);
        }
    }
}


/***/ })

};
