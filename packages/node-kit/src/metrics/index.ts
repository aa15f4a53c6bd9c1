export { createHttpMetrics, type HttpMetrics } from './registry.js';
