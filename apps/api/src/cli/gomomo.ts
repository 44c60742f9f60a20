#!/usr/bin/env node
// gomomo: the operators' command line. `gomomo --help` lists the commands; each has its own --help.
import { runCli } from './cli.js';

// `gomomo key list | head` closes our stdout early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await runCli(process.argv.slice(2), { env: process.env, out: (text) => console.log(text), err: (text) => console.error(text) });
