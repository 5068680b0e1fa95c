#!/usr/bin/env node
// The CLI is compiled TypeScript (npm install runs `prepare`, which builds dist/).
import '../dist/src/cli/main.js';
