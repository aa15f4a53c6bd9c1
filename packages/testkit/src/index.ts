export {};
export * from './streams/index.js';
export * from './db/index.js';
export * from './images/index.js';
export * from './boot-storm/index.js';
export * from './machines/index.js';
export * from './tools/index.js';
