export * from './dhcp-plan.js';
export * from './boot-file-names.js';
export * from './dnsmasq-config.js';
export * from './dhcp-service.js';
export * from './rack-interfaces.js';
