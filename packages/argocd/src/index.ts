export * from './wait-sync.js';
