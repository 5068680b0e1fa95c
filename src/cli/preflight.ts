/**
 * Pre-flight for `run` and `resume`, before anything is written: the objective loads in a worker
 * thread and takes the space's parameters, and every name in `constraints`, `balance.efficiency`
 * and `balance.size` is a metric the objective returns (or one the space declares). Each failure
 * is one SpaceError naming the file and the field.
 */
import { SpaceError } from '../errors.js';
import { inspectObjective } from '../objectives/index.js';
import { expressionNames, parseExpression, type Space } from '../space/index.js';

export async function preflight(space: Space): Promise<void> {
  const found = await inspectObjective(space.objective);
  if (!found.ok) throw new SpaceError(space.file, found.field, found.error);
  const names = Object.keys(space.params);
  if (found.parameters) {
    const unknown = names.filter((n) => !found.parameters!.accepts.includes(n));
    const missing = found.parameters.requires.filter((n) => !names.includes(n));
    const what = space.objective.builtin !== undefined ? `the built-in '${space.objective.builtin}'` : 'the objective';
    if (unknown.length > 0 || missing.length > 0) {
      const parts = [unknown.length > 0 ? `unknown: ${unknown.join(', ')}` : '', missing.length > 0 ? `missing: ${missing.join(', ')}` : ''].filter(Boolean);
      throw new SpaceError(space.file, 'params', `${what} takes parameters ${found.parameters.accepts.join(', ')}; ${parts.join('; ')}`);
    }
  }
  const known = new Set([...Object.keys(space.metrics), ...(found.metrics ?? [])]);
  const knownList = [...known].join(', ');
  const hint = space.objective.command
    ? ' (a command\'s other printed metrics go under objective.metrics)'
    : found.metrics
      ? ''
      : ' (declare it under metrics:, or export `metrics` from the objective module)';
  const check = (field: string, used: readonly string[]): void => {
    const bad = used.find((n) => !known.has(n));
    if (bad !== undefined) {
      throw new SpaceError(space.file, field, `'${bad}' is not a metric of this study; known metrics: ${knownList}${hint}`);
    }
  };
  space.constraints.forEach((c, i) => check(`constraints.${i}`, [...expressionNames(parseExpression(c.lhs)), ...expressionNames(parseExpression(c.rhs))]));
  if (space.balance) {
    check('balance.size', [space.balance.size]);
    check('balance.efficiency', expressionNames(parseExpression(space.balance.efficiency)));
  }
}
