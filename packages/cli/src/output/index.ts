export { processIo, isInteractive, type CliIo } from './io.js';
export { createPrinter, type Printer } from './printer.js';
export { printResponse, renderBody, type PrintableResponse } from './response-printer.js';
export { createByteProgress, formatBytes, type ByteProgress } from './progress.js';
