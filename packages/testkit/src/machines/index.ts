export { inventoryFiles } from './inventory-files.js';
