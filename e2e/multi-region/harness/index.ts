// The multi-region harness: real `kiln region` / `kiln rack` processes on real PostgreSQL, a
// counting upstream with faults, and fault-injecting proxies between regions.
export { Cluster, type ClusterFile, type ClusterOptions, type ClusterSet } from './cluster.js';
export { RegionProcess } from './region-process.js';
export { startFaultProxy, type FaultProxy, type ProxyFault } from './fault-proxy.js';
export { startKiln, stopKiln, type KilnProcess } from './kiln-process.js';
export { freePort } from './ports.js';
export { waitFor } from './wait.js';
export { pidOwningLocalPort } from './socket-owner.js';
