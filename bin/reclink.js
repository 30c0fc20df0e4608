#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// A reader that stops early (`reclink train | head`) ends the output, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv);
