export * from './mac-address.js';
export * from './client-arch.js';
export * from './boot-request.js';
export * from './boot-answer.js';
export * from './boot-urls.js';
export * from './dhcp-state.js';
