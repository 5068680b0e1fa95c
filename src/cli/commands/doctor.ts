/** `sweetspot doctor`: which TensorFlow.js backends load here, which do not and why. */
import { availableParallelism } from 'node:os';
import { table } from '../format.js';
import { printJson, type GlobalArgs } from '../session.js';

export async function doctorCommand(args: GlobalArgs): Promise<void> {
  // Loaded here only: the backends module imports TensorFlow.js.
  const { diagnoseBackends, predictBackend } = await import('../../engine/index.js');
  // tfjs's PROD flag silences its console notes, among them the "Hi, looks like you are running
  // TensorFlow.js in Node.js" banner, which would read as doctor's own advice.
  (await import('@tensorflow/tfjs')).env().set('PROD', true);
  const backends = await diagnoseBackends();
  const auto = predictBackend('auto');
  if (args.json) return printJson({ node: process.version, cores: availableParallelism(), auto, backends });
  const rows = backends.map((b) => [b.name, b.available ? 'yes' : 'no', b.detail]);
  process.stdout.write(
    [
      `node ${process.version} · ${availableParallelism()} cores · --backend auto picks: ${auto}`,
      table(['backend', 'loads', 'detail'], rows),
      'tensorflow / tensorflow-gpu are optional: npm install @tensorflow/tfjs-node (or -gpu: CUDA 11.2 + cuDNN 8.1) where their install can download libtensorflow.',
    ].join('\n') + '\n',
  );
}
