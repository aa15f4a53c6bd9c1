export { skipWithout, unlessAvailable } from './skip-without.js';
