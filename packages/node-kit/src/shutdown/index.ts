export { onShutdownSignals, type ShutdownSignal } from './on-shutdown.js';
