export { runBootStorm, simulatedMac, summarise } from './run-boot-storm.js';
export { parseIpxeBootUrls, expectedSha256, type BootUrls } from './ipxe-urls.js';
export { startCountingProxy, type CountingProxy } from './counting-proxy.js';
export { peakRssBytes } from './peak-rss.js';
export { tftpGet } from './tftp-get.js';
export type { BootStormOptions, BootStormReport, BootStep, MachineResult } from './types.js';
