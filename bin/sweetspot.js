#!/usr/bin/env node
// The CLI is compiled TypeScript (npm install runs `prepare`, which builds dist/). Under
// SWEETSPOT_SOFTWARE_GPU=1 it first relaunches itself with SwiftShader's Vulkan loader on
// LD_LIBRARY_PATH (read only when a process starts): see src/engine/software-gpu.ts.
import { relaunchWithSoftwareGpu } from '../dist/src/engine/software-gpu.js';

const code = await relaunchWithSoftwareGpu(process.argv.slice(1));
if (code === undefined) await import('../dist/src/cli/main.js');
else process.exitCode = code;
