export {};
export * from './boot/index.js';
