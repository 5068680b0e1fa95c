/** `sweetspot doctor`: which TensorFlow.js backends load here, which do not and why, and the GPU adapter (or why there is none). */
import { availableParallelism } from 'node:os';
import { table } from '../format.js';
import { printJson, type GlobalArgs } from '../session.js';

export async function doctorCommand(args: GlobalArgs): Promise<void> {
  // Loaded here only: the engine imports TensorFlow.js.
  const { describeAdapter, diagnoseBackends, predictBackend, probeGpu, softwareGpuAllowed } = await import('../../engine/index.js');
  // tfjs's PROD flag silences its console notes, among them the "Hi, looks like you are running
  // TensorFlow.js in Node.js" banner, which would read as doctor's own advice.
  (await import('@tensorflow/tfjs')).env().set('PROD', true);
  const gpu = await probeGpu();
  const backends = await diagnoseBackends();
  const auto = await predictBackend('auto');
  const gpuLine = gpu.ok ? `GPU adapter: ${describeAdapter(gpu.adapter)}` : `GPU: none (${gpu.missing} missing): ${gpu.reason}`;
  if (args.json) {
    printJson({ node: process.version, cores: availableParallelism(), auto, gpu: gpu.ok ? { adapter: gpu.adapter } : { missing: gpu.missing, reason: gpu.reason }, softwareGpu: softwareGpuAllowed(), backends });
  } else {
    const rows = backends.map((b) => [b.name, b.available ? 'yes' : 'no', b.detail]);
    process.stdout.write(
      [
        `node ${process.version} · ${availableParallelism()} cores · --backend auto picks: ${auto}${auto === 'webgpu' ? ' (GPU workers, beside CPU workers)' : ''}`,
        gpuLine,
        table(['backend', 'loads', 'detail'], rows),
        'tensorflow / tensorflow-gpu are optional: npm install @tensorflow/tfjs-node (or -gpu: CUDA 11.2 + cuDNN 8.1) where their install can download libtensorflow.',
      ].join('\n') + '\n',
    );
  }
  // A Dawn instance keeps the event loop alive (webgpu package README, "Lifetime"): this command is done.
  if (gpu.ok || backends.some((b) => b.name === 'webgpu' && b.available)) process.exit(0);
}
