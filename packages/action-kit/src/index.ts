export * from './errors.js';
export * from './log.js';
export * from './inputs.js';
export * from './http.js';
export * from './concurrency.js';
export * from './markdown.js';
export * from './define-action.js';
