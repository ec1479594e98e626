#!/usr/bin/env node
// The CLI lives in the compiled package; `npm install` builds it (prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('mockdeck: the compiled CLI is missing (dist/). Run `npm install` or `npm run build` in the mockdeck folder.\n');
  process.exit(2);
}
await import(entry.href);
