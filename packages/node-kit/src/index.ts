export * from './errors/index.js';
export * from './config/index.js';
export * from './logger/index.js';
export * from './shutdown/index.js';
export * from './metrics/index.js';
export * from './fs/index.js';
export * from './http/index.js';
export * from './secrets/index.js';
