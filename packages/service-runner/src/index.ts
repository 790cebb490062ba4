export * from './service.js';
export * from './free-port.js';
export * from './docker-cli.js';
export * from './container.js';
export * from './local-process.js';
export * from './test-command.js';
export * from './cleanup.js';
