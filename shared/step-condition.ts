import jsep from 'jsep';

/**
 * A step's `when`: an expression over its ancestors' statuses and outputs, such as
 * `steps.2.status == "succeeded" && steps.3.json.score > 0.8`.
 *
 * jsep only parses; Photon evaluates the tree itself over a closed set of operators and plain data,
 * so a condition cannot call anything, reach a global or walk a prototype, and its references are
 * known before the run starts.
 */

/** What a condition can read of a step. */
export const conditionFields = ['status', 'output', 'json', 'exitCode'] as const;

export type ConditionNode = jsep.Expression;

export interface ParsedCondition {
  ast: ConditionNode;
  /** Every `steps.N.field` the expression reads. */
  references: { step: number; field: string }[];
}

export class ConditionError extends Error {}

const comparisons = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=']);
const arithmetic = new Set(['+', '-', '*', '/', '%']);
const logical = new Set(['&&', '||']);

/**
 * `steps.2.status` is not a JavaScript member access (`.2` reads as a number), so every
 * `steps.N` outside a string literal becomes `steps[N]` before parsing; `shifts` maps a position
 * in the rewritten text back to the one the user wrote.
 */
function rewrite(expression: string): { text: string; original: (index: number) => number } {
  const inserted: number[] = [];
  let text = '';
  let last = 0;
  for (const match of expression.matchAll(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\bsteps\.(\d+)\b/g)) {
    if (match[2] === undefined) continue;
    text += expression.slice(last, match.index) + `steps[${match[2]}]`;
    inserted.push(text.length);
    last = match.index + match[0].length;
  }
  text += expression.slice(last);
  return { text, original: (index) => index - inserted.filter((at) => at <= index).length };
}

/** Parses and checks the shape of a condition; throws a ConditionError saying where it is wrong. */
export function parseCondition(expression: string): ParsedCondition {
  if (expression.trim() === '') throw new ConditionError('the condition is empty; write an expression such as steps.1.status == "succeeded", or leave "when" out');
  const { text, original } = rewrite(expression);
  let ast: ConditionNode;
  try {
    ast = jsep(text);
  } catch (error) {
    const index = (error as { index?: number }).index;
    const description = (error as { description?: string }).description ?? (error instanceof Error ? error.message : String(error));
    throw new ConditionError(index === undefined ? description : `${description} at character ${original(index) + 1}`);
  }
  const references: ParsedCondition['references'] = [];
  check(ast, references);
  return { ast, references };
}

function check(node: ConditionNode, references: ParsedCondition['references']): void {
  switch (node.type) {
    case 'Literal':
      return;
    case 'Identifier':
      throw new ConditionError(`unknown name "${String(node.name)}"; a condition reads steps.N.${conditionFields.join(' / steps.N.')}, and literals`);
    case 'MemberExpression': {
      const reference = stepReference(node);
      if (reference) {
        references.push(reference);
        return;
      }
      // Deeper into a step's JSON: steps.3.json.items[0].name
      const object = node.object as ConditionNode;
      if (!node.computed && (node.property as ConditionNode).type !== 'Identifier') throw new ConditionError('a property name is expected after "."');
      if (node.computed) check(node.property as ConditionNode, references);
      if (object.type === 'MemberExpression' || object.type === 'Identifier') {
        const base = rootReference(object);
        if (base && base.field !== 'json') throw new ConditionError(`steps.${base.step}.${base.field} has no fields; only steps.N.json can be read into`);
      }
      return check(object, references);
    }
    case 'UnaryExpression':
      if (node.operator !== '!' && node.operator !== '-') throw new ConditionError(`the operator "${String(node.operator)}" is not supported; use ! or -`);
      return check(node.argument as ConditionNode, references);
    case 'BinaryExpression': {
      const op = String(node.operator);
      if (!comparisons.has(op) && !arithmetic.has(op) && !logical.has(op)) {
        throw new ConditionError(`the operator "${op}" is not supported; use == != < <= > >= && || + - * / %`);
      }
      check(node.left as ConditionNode, references);
      return check(node.right as ConditionNode, references);
    }
    case 'ConditionalExpression':
      check(node.test as ConditionNode, references);
      check(node.consequent as ConditionNode, references);
      return check(node.alternate as ConditionNode, references);
    case 'ArrayExpression':
      for (const element of node.elements as (ConditionNode | null)[]) if (element) check(element, references);
      return;
    case 'CallExpression':
      throw new ConditionError('a condition cannot call functions');
    case 'Compound':
      throw new ConditionError('a condition is one expression; join parts with && or ||');
    default:
      throw new ConditionError(`"${node.type}" is not supported in a condition`);
  }
}

/** `steps[N].field` exactly: the node that names one step's value. */
function stepReference(node: ConditionNode): { step: number; field: string } | undefined {
  if (node.type !== 'MemberExpression' || node.computed) return undefined;
  const inner = node.object as ConditionNode;
  if (inner.type !== 'MemberExpression' || !inner.computed) return undefined;
  const root = inner.object as ConditionNode;
  if (root.type !== 'Identifier' || root.name !== 'steps') return undefined;
  const index = inner.property as ConditionNode;
  if (index.type !== 'Literal' || typeof index.value !== 'number') return undefined;
  const field = String((node.property as ConditionNode).name);
  if (!(conditionFields as readonly string[]).includes(field)) {
    throw new ConditionError(`steps.${index.value}.${field} is not known; a step has ${conditionFields.join(', ')}`);
  }
  return { step: index.value, field };
}

function rootReference(node: ConditionNode): { step: number; field: string } | undefined {
  let current: ConditionNode | undefined = node;
  while (current && current.type === 'MemberExpression') {
    const reference = stepReference(current);
    if (reference) return reference;
    current = current.object as ConditionNode;
  }
  if (current?.type === 'Identifier' && current.name === 'steps') {
    throw new ConditionError('"steps" is read as steps.N.field, N being a step number');
  }
  return undefined;
}

/** The start of a step's error when its condition decided it: how a skip by condition is told from a skip by failure. */
export const conditionFalsePrefix = 'condition false: ';

/** Why a skipped step did not run, as the run's data says: its own condition, or a step it depends on. */
export type SkipKind = 'condition' | 'dependency';

export function skipKindOf(error: string | null): SkipKind {
  return error?.startsWith(conditionFalsePrefix) ? 'condition' : 'dependency';
}

/** Steps whose status the condition reads: a dependency among them may end any way and the condition still decides. */
export function statusesRead(parsed: ParsedCondition): Set<number> {
  return new Set(parsed.references.filter((r) => r.field === 'status').map((r) => r.step));
}

/** One step's data as a condition sees it. */
export interface ConditionStep {
  status: string;
  output: string | null;
  json: unknown;
  exitCode: number | null;
}

/** Evaluates a parsed condition; a missing value is `undefined`, and comparing unlike types is false. */
export function evaluateCondition(parsed: ParsedCondition, steps: ReadonlyMap<number, ConditionStep>): boolean {
  return truthy(evaluate(parsed.ast, steps));
}

function evaluate(node: ConditionNode, steps: ReadonlyMap<number, ConditionStep>): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'MemberExpression': {
      const reference = stepReference(node);
      if (reference) return steps.get(reference.step)?.[reference.field as keyof ConditionStep];
      const object = evaluate(node.object as ConditionNode, steps);
      const key = node.computed ? evaluate(node.property as ConditionNode, steps) : (node.property as ConditionNode).name;
      return own(object, key);
    }
    case 'UnaryExpression': {
      const value = evaluate(node.argument as ConditionNode, steps);
      return node.operator === '!' ? !truthy(value) : typeof value === 'number' ? -value : undefined;
    }
    case 'BinaryExpression': {
      const op = String(node.operator);
      if (op === '&&') return truthy(evaluate(node.left as ConditionNode, steps)) && truthy(evaluate(node.right as ConditionNode, steps));
      if (op === '||') return truthy(evaluate(node.left as ConditionNode, steps)) || truthy(evaluate(node.right as ConditionNode, steps));
      return binary(op, evaluate(node.left as ConditionNode, steps), evaluate(node.right as ConditionNode, steps));
    }
    case 'ConditionalExpression':
      return truthy(evaluate(node.test as ConditionNode, steps)) ? evaluate(node.consequent as ConditionNode, steps) : evaluate(node.alternate as ConditionNode, steps);
    case 'ArrayExpression':
      return (node.elements as (ConditionNode | null)[]).map((element) => (element ? evaluate(element, steps) : undefined));
    default:
      // parseCondition refused everything else.
      throw new ConditionError(`"${node.type}" is not supported in a condition`);
  }
}

/** Only a JSON value's own fields: never a prototype's (`constructor`, `__proto__`). */
function own(object: unknown, key: unknown): unknown {
  if (object === null || typeof object !== 'object') return undefined;
  if (Array.isArray(object)) return typeof key === 'number' && Number.isInteger(key) ? object[key] : key === 'length' ? object.length : undefined;
  return typeof key === 'string' && Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function binary(op: string, left: unknown, right: unknown): unknown {
  switch (op) {
    case '==':
    case '===':
      return equal(left, right);
    case '!=':
    case '!==':
      return !equal(left, right);
  }
  const comparable = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (comparisons.has(op)) {
    if (!comparable) return false;
    const [a, b] = [left as number, right as number];
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  if (op === '+' && comparable) return (left as number) + (right as number);
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  return op === '-' ? left - right : op === '*' ? left * right : op === '/' ? left / right : op === '%' ? left % right : undefined;
}

/** Strict, without coercion: "1" is not 1; a missing value equals only null. */
function equal(left: unknown, right: unknown): boolean {
  if ((left === undefined || left === null) && (right === undefined || right === null)) return true;
  return left === right;
}

function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === 0 || value === '' || Number.isNaN(value));
}
