export { startRackAgent, type RunningRackAgent } from './start-rack-agent.js';
export { rackAgentOptionsFromConfig, type RackAgentOptions } from './agent-options.js';
export {
  createRegionApi,
  RACK_SECRET_HEADER,
  type RegionApi,
  type RegionApiOptions,
} from './region-api.js';
export { createRegistration, type Registration, type RegistrationOptions } from './registration.js';
export { loadRackIdentity, RACK_IDENTITY_FILE, type RackIdentity } from './rack-identity.js';
export { createRegionBootPurposeSource } from './region-boot-purpose-source.js';
export { createBootloaderResolver, type BootloaderResolverOptions } from './bootloader-resolver.js';
export { bootloaderRelativePath } from './bootloader-paths.js';
export {
  createDhcpPoller,
  type DhcpMode,
  type DhcpPoller,
  type DhcpPollerOptions,
} from './dhcp-poller.js';
export { createTftpResolver, type TftpResolverOptions } from './tftp-resolver.js';
export { PRIVILEGE_HINT } from './listen-or-explain.js';
