/**
 * A tfjs IO handler for the file system (tfjs-node's `file://` handler is not available without
 * the native package). It writes the tfjs artifacts format: `model.json` (topology, a weights
 * manifest pointing at `weights.bin`, user metadata) and `weights.bin` (all weights, concatenated).
 * Saving writes into a temporary sibling folder and renames it into place, so a reader never sees
 * a half-written model.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

export function isSaved(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILE));
}

/** An IOHandler saving to / loading from folder `dir`. */
export function fileSystemHandler(dir: string): Required<Pick<io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      mkdirSync(tmp, { recursive: true });
      const data = artifacts.weightData === undefined ? new Uint8Array(0) : toBytes(artifacts.weightData);
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata as Record<string, unknown> | undefined,
      };
      writeFileSync(join(tmp, WEIGHTS_FILE), data);
      writeFileSync(join(tmp, MODEL_FILE), JSON.stringify(json));
      mkdirSync(dirname(dir), { recursive: true });
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: data.byteLength,
        },
      };
    },
    async load(): Promise<io.ModelArtifacts> {
      const file = join(dir, MODEL_FILE);
      let json: ModelJson;
      try {
        json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
      } catch (err) {
        throw new ObjectiveError(`cannot read saved model ${file}: ${(err as Error).message}`, { cause: err });
      }
      const specs: io.WeightsManifestEntry[] = [];
      const parts: Uint8Array[] = [];
      for (const group of json.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) parts.push(readFileSync(join(dir, p)));
      }
      const total = parts.reduce((s, p) => s + p.byteLength, 0);
      const weightData = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        weightData.set(p, at);
        at += p.byteLength;
      }
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: specs,
        weightData: weightData.buffer,
        userDefinedMetadata: json.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
      };
    },
  };
}

/**
 * Model artifacts as one byte string, to keep in the study's database: a 4-byte big-endian length,
 * the JSON of everything but the weights, then the weights.
 */
export function packArtifacts(artifacts: io.ModelArtifacts): Uint8Array {
  const { weightData, ...rest } = artifacts;
  const json = new TextEncoder().encode(JSON.stringify(rest));
  const weights = weightData === undefined ? new Uint8Array(0) : toBytes(weightData);
  const out = new Uint8Array(4 + json.byteLength + weights.byteLength);
  new DataView(out.buffer).setUint32(0, json.byteLength);
  out.set(json, 4);
  out.set(weights, 4 + json.byteLength);
  return out;
}

/** The inverse of packArtifacts; `what` names the bytes in an error. */
export function unpackArtifacts(bytes: Uint8Array, what: string): io.ModelArtifacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength >= 4 ? view.getUint32(0) : -1;
  if (length < 0 || 4 + length > bytes.byteLength) throw new ObjectiveError(`${what}: not packed model artifacts (${bytes.byteLength} bytes)`);
  let rest: io.ModelArtifacts;
  try {
    rest = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as io.ModelArtifacts;
  } catch (err) {
    throw new ObjectiveError(`${what}: not packed model artifacts: ${(err as Error).message}`, { cause: err });
  }
  return { ...rest, weightData: bytes.slice(4 + length).buffer };
}

function toBytes(data: io.WeightData): Uint8Array {
  if (Array.isArray(data)) {
    const total = data.reduce((s, b) => s + b.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), at);
      at += b.byteLength;
    }
    return out;
  }
  return new Uint8Array(data as ArrayBuffer);
}
