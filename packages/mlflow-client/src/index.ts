export * from './types.js';
export * from './client.js';
export * from './resolve.js';
export * from './metadata.js';
export * from './config.js';
export { closestNames, editDistance } from './similar.js';
export * from './aliases.js';
