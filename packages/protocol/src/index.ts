export {};
export * from './machines/index.js';
export * from './boot/index.js';
export * from './api/index.js';
export * from './controllers/index.js';
export * from './errors/index.js';
