export * from './check-spec.js';
export * from './json-path.js';
export * from './run-checks.js';
export * from './readiness.js';
export * from './load-test.js';
export * from './load-request.js';
