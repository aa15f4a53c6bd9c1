export {};
export * from './db/index.js';
