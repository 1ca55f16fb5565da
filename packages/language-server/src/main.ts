#!/usr/bin/env node
/**
 * `tenet-language-server --stdio`: the Tenet language server on standard input and output, as editors start it
 * (`tenet lsp --stdio` runs the same).
 */
import { startServer } from './server.js';

startServer();
