export { type Console, type ExitStatus, run } from './cli.js';
