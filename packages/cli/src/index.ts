export { runCli, buildProgram } from './program.js';
export type { CliIo } from './output/index.js';
