export * from './boot-purpose-source.js';
export * from './caching-boot-purpose-source.js';
export * from './config-path.js';
export * from './kernel-command-line.js';
export * from './ipxe-config.js';
export * from './pxelinux-config.js';
export * from './grub-config.js';
export * from './boot-config-service.js';
