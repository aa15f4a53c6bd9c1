export * from './mac-address.js';
export * from './client-arch.js';
export * from './boot-request.js';
export * from './boot-answer.js';
export * from './boot-urls.js';
export * from './boot-purpose.js';
export * from './boot-file-ref.js';
export * from './dhcp-state.js';
