/**
 * The typed, validated form of a search-space file. Everything here is immutable: a Space is built
 * once by `loadSpace`/`parseSpace` and shared read-only by the sampler, the loop and the report.
 */

export type ParamValue = number | string | boolean;
/** One configuration: parameter name → value, in the space's parameter order. */
export type Params = Readonly<Record<string, ParamValue>>;
export type Direction = 'maximize' | 'minimize';

export interface IntParam {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly step: number;
  readonly log: boolean;
}
export interface FloatParam {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
}
/** Unordered choices: no distance between them is implied. */
export interface CategoricalParam {
  readonly type: 'categorical';
  readonly choices: readonly ParamValue[];
}
/** Ordered choices (e.g. bit widths): neighbours in the list are neighbours in the search. */
export interface OrdinalParam {
  readonly type: 'ordinal';
  readonly choices: readonly ParamValue[];
}
export type ParamSpec = IntParam | FloatParam | CategoricalParam | OrdinalParam;

/** `lhs op rhs` over metric names, e.g. `accuracy >= 0.9`. Feasible when violation is 0. */
export interface Constraint {
  readonly text: string;
  readonly lhs: string;
  readonly op: '<=' | '>=' | '<' | '>';
  readonly rhs: string;
}

/** A command objective: one child process per trial (see src/objectives/command.ts). */
export interface CommandSpec {
  /** Program and arguments; `{param}`, `{trial}`, `{seed}`, `{workdir}` are substituted per trial. */
  readonly argv: readonly string[];
  /** Absolute working folder (the space file's folder unless `cwd` says otherwise). */
  readonly cwd: string;
  /** Extra environment variables, added to the inherited environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds between SIGTERM and SIGKILL when a trial is stopped. */
  readonly graceMs: number;
  /** Metrics it prints beyond the study's objectives, usable in constraints and the balance. */
  readonly metrics: readonly string[];
}

/** Exactly one of `builtin`, `module` and `command` is set. */
export interface ObjectiveRef {
  /** Name of a built-in objective (see src/objectives). */
  readonly builtin?: string;
  /** Absolute path of a user module (resolved relative to the space file). */
  readonly module?: string;
  /** A program run once per trial. */
  readonly command?: CommandSpec;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface Budget {
  readonly trials: number;
  readonly workers: number;
  /** GPU worker threads (one GPU device each), beside `workers`; undefined: the pool's plan decides. */
  readonly gpuWorkers?: number;
  /** Whole-study wall-clock limit in ms; undefined = none. */
  readonly timeoutMs?: number;
  /** Per-trial wall-clock limit in ms; undefined = none. */
  readonly trialTimeoutMs?: number;
  /** Re-runs of a trial cut short by a crash or a stop; undefined = the loop's default (2). */
  readonly retries?: number;
  /** Memory one worker thread may use (V8 heap + off-heap), bytes; undefined = from the machine's memory. */
  readonly workerMemory?: number;
  /** Lease length of a running trial without a heartbeat, in ms; undefined = the loop's default (60 s). */
  readonly leaseGraceMs?: number;
}

/** The built-in samplers, the one list the schema, the CLI and the registry (src/samplers) use. */
export const SAMPLER_NAMES = ['random', 'sobol', 'gp'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];
export interface SamplerConfig {
  readonly name: SamplerName;
  /** Initial space-filling trials before a model-based sampler takes over. */
  readonly initial?: number;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The built-in pruners (src/pruners), the one list the schema, the CLI and the registry use. */
export const PRUNER_NAMES = ['none', 'asha', 'hyperband', 'median'] as const;
export type PrunerName = (typeof PRUNER_NAMES)[number];

/**
 * A space file's `pruner:` block with its defaults filled in. Resources are steps as objectives
 * report them (`ctx.report(step, ...)`, epochs for the compression trial).
 */
export type PrunerConfig =
  | { readonly name: 'none' }
  | {
      readonly name: 'asha';
      /** First rung's step. */
      readonly minResource: number;
      /** Rungs stop below this step (a trial that reaches it is not judged); undefined: none. */
      readonly maxResource?: number;
      /** One in `reductionFactor` trials goes on past each rung. */
      readonly reductionFactor: number;
    }
  | { readonly name: 'hyperband'; readonly minResource: number; readonly maxResource: number; readonly reductionFactor: number }
  | {
      readonly name: 'median';
      /** Complete trials needed before anything is pruned. */
      readonly startupTrials: number;
      /** Steps before which nothing is pruned. */
      readonly warmupSteps: number;
      /** Judge every `interval` steps. */
      readonly interval: number;
    };

export interface BalanceConfig {
  /** Metric name used as model size S (default size_bits). */
  readonly size: string;
  /** Expression over metric names giving efficiency E. */
  readonly efficiency: string;
  /** Re-runs of the recommended configuration late in the budget (default 0; counted in the budget). */
  readonly repeats?: number;
}

export interface Space {
  readonly name: string;
  /** Path the space was read from (as given), used in error messages. */
  readonly file: string;
  readonly objective: ObjectiveRef;
  /** Parameters in file order. */
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly metrics: Readonly<Record<string, Direction>>;
  readonly constraints: readonly Constraint[];
  readonly balance?: BalanceConfig;
  readonly budget: Budget;
  readonly sampler: SamplerConfig;
  /** Early stopping (default `none`). */
  readonly pruner: PrunerConfig;
  /** Seed from the file; when absent the study draws one and records it. */
  readonly seed?: number;
  /** Configurations evaluated before the sampler's proposals, in the space's parameter order. */
  readonly enqueue: readonly Params[];
  /** The file's exact text and its sha256, kept with the study so a resume can refuse a changed space. */
  readonly text: string;
  readonly hash: string;
}
