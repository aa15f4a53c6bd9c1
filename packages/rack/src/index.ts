export {};
export * from './bootconfig/index.js';
export * from './cache/index.js';
export * from './http/index.js';
export * from './dhcp/index.js';
export * from './tftp/index.js';
export * from './agent/index.js';
