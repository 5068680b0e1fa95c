/**
 * ctx.artifacts across the thread boundary: the objective runs in a worker thread, and only the
 * main thread talks to storage, so each call travels over the trial's port as an
 * `ArtifactRequest` and comes back as an `ArtifactReply` (messages.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { oneLine } from '../errors.js';
import type { StudyArtifacts } from '../study/index.js';
import type { ArtifactReply, ArtifactRequest, PortMessage } from './messages.js';

/** Main thread: answers the trial's artifact requests on `port` from `artifacts` (an error reply when there are none). */
export function answerArtifactRequest(port: MessagePort, msg: ArtifactRequest, artifacts: StudyArtifacts | undefined): void {
  const reply = (r: Omit<ArtifactReply, 'type' | 'id'>): void => {
    try {
      port.postMessage({ type: 'artifact-reply', id: msg.id, ...r } satisfies PortMessage);
    } catch {
      // the trial ended meanwhile: nobody is waiting for the answer
    }
  };
  if (!artifacts) return reply({ error: 'this executor has no study artifacts' });
  const call = (): Promise<Uint8Array | string | boolean | null | void> => {
    switch (msg.op) {
      case 'get':
        return artifacts.get(msg.key);
      case 'claim':
        return artifacts.claim(msg.key, msg.leaseMs ?? 60_000);
      case 'put':
        return artifacts.put(msg.key, msg.data ?? new Uint8Array());
      case 'release':
        return artifacts.release(msg.key);
    }
  };
  call().then(
    (value) => reply({ value: value ?? null }),
    (err: unknown) => reply({ error: oneLine(err) }),
  );
}

/** Worker thread: ctx.artifacts, each call a request on `port`; `onReply` must be fed the port's ArtifactReply messages. */
export function artifactClient(port: MessagePort): { artifacts: StudyArtifacts; onReply: (msg: ArtifactReply) => void } {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: ArtifactReply['value']) => void; reject: (e: Error) => void }>();
  const request = (r: Omit<ArtifactRequest, 'type' | 'id'>): Promise<ArtifactReply['value']> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ type: 'artifact', id, ...r } satisfies PortMessage);
    });
  return {
    artifacts: {
      get: async (key) => (await request({ op: 'get', key })) as Uint8Array | null,
      claim: async (key, leaseMs) => (await request({ op: 'claim', key, leaseMs })) as 'stored' | 'held' | 'claimed',
      put: async (key, data) => (await request({ op: 'put', key, data })) as boolean,
      release: async (key) => void (await request({ op: 'release', key })),
    },
    onReply: (msg) => {
      const w = waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id);
      if (msg.error !== undefined) w.reject(new Error(`study artifacts: ${msg.error}`));
      else w.resolve(msg.value ?? null);
    },
  };
}
