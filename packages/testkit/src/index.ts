export {};
export * from './streams/index.js';
export * from './db/index.js';
