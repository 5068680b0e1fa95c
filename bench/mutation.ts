/**
 * Mutation testing per room (`npm run test:mutation [-- --rooms space,gp --max 120 --seed 1 --name mutation]`):
 * does a room's test suite notice when its code is wrong?
 *
 * For each file of a room, the TypeScript source is parsed and every applicable mutation operator
 * is listed (relational, arithmetic, boolean/logical, constant, statement deletion; type
 * annotations are left alone). A deterministic sample of at most `--max` mutants per room is
 * tested: the mutated file alone is transpiled (ts.transpileModule, no type check) into a private
 * copy of dist/ under .build/mutation, and only that room's tests run against the copy, with a
 * timeout per mutant (three times the room's clean run plus 5 s). A mutant is killed when the tests
 * fail or time out. Stryker does the same with far more machinery; on 2 shared cores this small
 * loop is what fits. Prints the score table and writes reports/bench/mutation.md with the
 * survivors, which are where tests need strengthening (or mutants that change nothing).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { Rng } from '../src/math/index.js';
import { markdownTable, REPO, writeBenchReport } from './common.js';

/** The rooms the issue sets the 80 % target for; others can be named with --rooms. */
const DEFAULT_ROOMS = ['space', 'pareto', 'gp', 'acquisition', 'study'];
/** A private copy of dist/ per run, so two runs (or a build) never see each other's mutants. */
const SCRATCH = join(REPO, '.build', `mutation-${process.pid}`);

export interface Mutant {
  readonly file: string;
  readonly line: number;
  readonly operator: 'relational' | 'arithmetic' | 'logical' | 'constant' | 'statement';
  readonly start: number;
  readonly end: number;
  readonly original: string;
  readonly replacement: string;
}

const SWAPS: Readonly<Record<string, readonly [Mutant['operator'], string]>> = {
  '<': ['relational', '<='],
  '<=': ['relational', '<'],
  '>': ['relational', '>='],
  '>=': ['relational', '>'],
  '===': ['relational', '!=='],
  '!==': ['relational', '==='],
  '+': ['arithmetic', '-'],
  '-': ['arithmetic', '+'],
  '*': ['arithmetic', '/'],
  '/': ['arithmetic', '*'],
  '%': ['arithmetic', '*'],
  '&&': ['logical', '||'],
  '||': ['logical', '&&'],
  '??': ['logical', '&&'],
};

/** Every mutant of one TypeScript source file (positions in the source text). */
export function listMutants(file: string, text: string): Mutant[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Mutant[] = [];
  const add = (node: ts.Node | ts.Token<ts.SyntaxKind>, operator: Mutant['operator'], replacement: string, start = node.getStart(source), end = node.getEnd()) => {
    out.push({ file, line: source.getLineAndCharacterOfPosition(start).line + 1, operator, start, end, original: text.slice(start, end), replacement });
  };
  const visit = (node: ts.Node): void => {
    // Types, imports and declarations of shapes carry no behaviour to mutate.
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.getText(source);
      const swap = SWAPS[op];
      // `a + b` on strings builds messages; mutating it says nothing about behaviour.
      const stringy = op === '+' && [node.left, node.right].some((s) => ts.isStringLiteral(s) || ts.isTemplateExpression(s) || ts.isNoSubstitutionTemplateLiteral(s));
      if (swap && !stringy) add(node.operatorToken, swap[0], swap[1]);
    } else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
      add(node, 'logical', node.operand.getText(source));
    } else if (ts.isNumericLiteral(node)) {
      // Array sizes and indices of 0 are mostly structural; other constants go to 0, 0 goes to 1.
      add(node, 'constant', Number(node.text) === 0 ? '1' : '0');
    } else if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
      add(node, 'logical', node.kind === ts.SyntaxKind.TrueKeyword ? 'false' : 'true');
    } else if (ts.isExpressionStatement(node) && !ts.isStringLiteral(node.expression)) {
      add(node, 'statement', ';');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function transpile(text: string, file: string): string {
  return ts.transpileModule(text, {
    fileName: file,
    // ES modules explicitly: NodeNext would need package.json, which transpileModule does not read.
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, sourceMap: false, esModuleInterop: true },
  }).outputText;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

function runTests(room: string, timeoutMs: number): { passed: boolean; timedOut: boolean; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'uvu', 'bin.js'), join(SCRATCH, 'dist', 'test', room), '\\.test\\.js$'], {
    cwd: REPO,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: 'ignore',
  });
  const timedOut = r.error !== undefined && /ETIMEDOUT/.test(String((r.error as NodeJS.ErrnoException).code ?? r.error.message));
  return { passed: r.status === 0, timedOut: timedOut || r.signal === 'SIGKILL', ms: performance.now() - t0 };
}

interface RoomScore {
  readonly room: string;
  readonly files: number;
  readonly generated: number;
  readonly tested: number;
  readonly killed: number;
  readonly timedOut: number;
  readonly survivors: readonly Mutant[];
  readonly minutes: number;
}

/** A room's files and their text, read when the run starts, together with the copy of dist/. */
interface RoomSources {
  readonly room: string;
  readonly files: number;
  readonly sources: ReadonlyMap<string, string>;
}

function readRoom(room: string): RoomSources {
  const files = tsFiles(join(REPO, 'src', room)).filter((f) => !f.endsWith('index.ts') && !f.endsWith('types.ts'));
  return { room, files: files.length, sources: new Map(files.map((f) => [relative(REPO, f), readFileSync(f, 'utf8')])) };
}

function mutateRoom({ room, files, sources }: RoomSources, max: number, seed: number): RoomScore {
  const t0 = performance.now();
  const all = [...sources].flatMap(([file, text]) => listMutants(file, text));
  // Deterministic sample: a seeded shuffle, then the first `max`.
  const rng = new Rng(seed);
  const order = all.map((m, i) => ({ m, key: rng.uniform(), i }));
  order.sort((a, b) => a.key - b.key);
  const sample = order.slice(0, max).map((o) => o.m).sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start);

  // The clean run uses this script's own transpilation of every file, so a mutant differs from it
  // by the mutation alone (and a broken transpilation cannot pass as a killed mutant).
  for (const [file, text] of sources) writeFileSync(join(SCRATCH, 'dist', file.replace(/\.ts$/, '.js')), transpile(text, file));
  const clean = runTests(room, 600_000);
  if (!clean.passed) throw new Error(`mutation: the tests of room '${room}' fail without any mutant; fix them first`);
  const timeoutMs = Math.round(3 * clean.ms + 5000);
  let killed = 0;
  let timedOut = 0;
  const survivors: Mutant[] = [];
  sample.forEach((m, k) => {
    const target = join(SCRATCH, 'dist', m.file.replace(/\.ts$/, '.js'));
    const original = readFileSync(target, 'utf8');
    const text = sources.get(m.file)!;
    writeFileSync(target, transpile(text.slice(0, m.start) + m.replacement + text.slice(m.end), m.file));
    try {
      const r = runTests(room, timeoutMs);
      if (r.timedOut) timedOut++;
      else if (!r.passed) killed++;
      else {
        survivors.push(m);
        process.stdout.write(`\nsurvived: ${describe(m)}\n`);
      }
    } finally {
      writeFileSync(target, original);
    }
    process.stdout.write(`\r${room}: ${k + 1}/${sample.length} tested, ${survivors.length} survived   `);
  });
  process.stdout.write('\n');
  return { room, files, generated: all.length, tested: sample.length, killed, timedOut, survivors, minutes: (performance.now() - t0) / 60_000 };
}

function describe(m: Mutant): string {
  return `${m.file}:${m.line} ${m.operator} \`${m.original.replace(/\s+/g, ' ').slice(0, 40)}\` → \`${m.replacement}\``;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const rooms = (option('rooms') ?? DEFAULT_ROOMS.join(',')).split(',').filter(Boolean);
  const max = Number(option('max') ?? 120);
  const seed = Number(option('seed') ?? 1);
  for (const room of rooms) {
    if (!existsSync(join(REPO, 'src', room)) || !existsSync(join(REPO, 'dist', 'test', room))) {
      throw new Error(`mutation: --rooms: no room '${room}' with tests (src/${room} and dist/test/${room}); build first`);
    }
  }
  if (!Number.isInteger(max) || max < 1) throw new Error(`mutation: --max must be a positive integer, got '${option('max')}'`);
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  // Sources and the copy of dist/ are taken together at the start: the checkout may change (a
  // merge, a rebuild) while a long run goes on.
  cpSync(join(REPO, 'dist'), join(SCRATCH, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  // Files the compiled code reads from beside src/ at run time (the generated SQL migrations) must
  // sit where the copy's relative paths look for them.
  cpSync(join(REPO, 'src', 'storage', 'migrations'), join(SCRATCH, 'src', 'storage', 'migrations'), { recursive: true });
  const snapshot = rooms.map(readRoom);
  const scores = snapshot.map((r) => mutateRoom(r, max, seed));
  rmSync(SCRATCH, { recursive: true, force: true });

  const pct = (s: RoomScore) => (100 * (s.killed + s.timedOut)) / Math.max(1, s.tested);
  const table = markdownTable(
    ['room', 'files', 'mutants', 'tested', 'killed', 'timed out', 'survived', 'score %', 'minutes'],
    scores.map((s) => [`src/${s.room}`, s.files, s.generated, s.tested, s.killed, s.timedOut, s.survivors.length, pct(s).toFixed(1), s.minutes.toFixed(1)]),
  );
  const notes = [
    `Operators: relational (< ↔ <=, > ↔ >=, === ↔ !==), arithmetic (+ ↔ −, * ↔ /, % → *), logical (&& ↔ ||, ?? → &&, ! removed, true ↔ false), constant (n → 0, 0 → 1), statement deletion (expression statements). Index and types files skipped.`,
    `Sample: at most ${max} mutants per room, seeded shuffle (seed ${seed}); score = (killed + timed out) / tested.`,
    ...scores.flatMap((s) =>
      s.survivors.length === 0
        ? []
        : [`Survivors in src/${s.room}: ${s.survivors.map(describe).join('; ')}`],
    ),
  ];
  // --name writes reports/bench/<name>.md instead (a partial rerun beside the full table).
  writeBenchReport(option('name') ?? 'mutation', 'Mutation score per room', table, notes);
}

main();
