export { fileOf, startServer } from './server.js';
