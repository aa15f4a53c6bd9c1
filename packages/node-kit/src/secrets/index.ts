export { sameSecret } from './same-secret.js';
