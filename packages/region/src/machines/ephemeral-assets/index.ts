export * from './asset-paths.js';
export * from './tar-writer.js';
export * from './scripts-bundle.js';
export * from './user-data.js';
