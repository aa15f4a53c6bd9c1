export * from './rack-report.js';
export * from './controller-json.js';
