export {};
export * from './bootconfig/index.js';
