import type { GraphQLCompositeType, GraphQLError, GraphQLSchema } from 'graphql';
import { ByteWriter } from '../../subgraphs/common/json-body';
import {
  BUBBLE,
  OK,
  ShapeAssertion,
  objectTypeOf,
  recordInvalidValue,
  recordNullInNonNull,
  skipped,
  fragmentApplies,
  typenameOf,
  type CompiledShape,
  type FieldStep,
  type Run,
  type Step,
  type TypeShape,
} from './response-shaper';

/**
 * response-shaper.ts's `shapeResponse` and the JSON serialization of its result, in one walk: the answer is
 * written as UTF-8 while the merged subgraph data is read, and the tree of response objects that would only be
 * serialized and dropped is never built. On a 500-row page that tree and its serialization were about a third of
 * the gateway's CPU, counting the garbage collection they caused (bench/RESULTS.md, part K).
 *
 * The bytes are exactly `JSON.stringify(shapeResponse(...).data)`, and the errors the same, in the same order;
 * test/unit/gateway/response-shaper.test.ts checks both on the shaper's differential inputs. Only streamable
 * shapes qualify (no object asked for twice under one name: nothing is merged into what was already written). A
 * null that propagates to a parent takes back what the parent had written and writes `null` in its place.
 */
export interface WrittenResponse {
  /** The data as JSON; null when the data is null (a null propagated to the root). */
  bytes: Buffer | null;
  errors: GraphQLError[];
}

const NULL = 'null';

export function writeResponse(schema: GraphQLSchema, shape: CompiledShape, variables: Record<string, unknown> | undefined, input: Record<string, unknown>): WrittenResponse {
  if (!shape.streamable) throw new Error('writeResponse needs a streamable shape');
  const run: Run = { schema, variables: { ...shape.defaults, ...variables }, errors: [], path: [], invalid: false, hasErrors: false };
  const out = new ByteWriter(sizes.get(shape));
  out.byte(0x7b);
  const result = writeFields(run, out, 1, input, shape.root, shape.rootType, shape.rootRepeats ? [] : null);
  if (result === BUBBLE) return { bytes: null, errors: run.errors };
  out.byte(0x7d);
  sizes.set(shape, out.length + (out.length >> 4));
  return { bytes: out.done(), errors: run.errors };
}

const hasOwn = Object.prototype.hasOwnProperty;
/** What the last answer of a shape took: the next one's buffer starts that large. */
const sizes = new WeakMap<CompiledShape, number>();

/**
 * The fields of one object (`{` is written, `}` is not), from `objectStart`, the position after its `{`.
 * `written`: the repeated response names this object already has (null: its selection repeats none).
 */
function writeFields(run: Run, out: ByteWriter, objectStart: number, input: Record<string, unknown>, steps: Step[], parentType: GraphQLCompositeType, written: string[] | null): number {
  // Subgraph data that is not a plain object where one belongs (a list, say) inherits more than Object.prototype.
  const ownOnly = typeof input !== 'object' || Array.isArray(input);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.conditions !== null && skipped(run, step.conditions)) continue;
    if (step.kind === 'field') {
      const responseName = step.responseName;
      if (step.repeated) {
        // As the shaper: a field already answered under this name (always a leaf here) keeps its first value.
        if (written!.includes(responseName)) continue;
        written!.push(responseName);
      }
      // On a plain object, only a name Object.prototype has can be found without being its own property.
      const inputValue = (step.inherited || ownOnly ? (hasOwn.call(input, responseName) ? input[responseName] : null) : input[responseName]) ?? null;
      if (step.isTypename) {
        const typename = typenameOf(run, input, responseName, inputValue, parentType);
        if (typename === null) return BUBBLE;
        out.bytes(out.length === objectStart ? step.key : step.nextKey);
        out.string(typename);
        continue;
      }
      out.bytes(out.length === objectStart ? step.key : step.nextKey);
      if (step.leaf !== null) {
        if (writeLeafField(run, out, step, step.leaf, inputValue, parentType)) return BUBBLE;
        continue;
      }
      run.path.push(responseName);
      writeValue(run, out, step.type!, inputValue, step.selection, step.selectionRepeats, parentType);
      run.path.pop();
      if (run.invalid) return BUBBLE;
    } else if (fragmentApplies(run, step, input, parentType)) {
      if (writeFields(run, out, objectStart, input, step.selection, step.typeCondition ?? parentType, written) === BUBBLE) return BUBBLE;
    }
  }
  return OK;
}

/**
 * Writes one value; returns whether it wrote null. As updateValue (response-shaper.ts) with no earlier output:
 * run.invalid and run.hasErrors are set on every return, with the same meaning.
 */
function writeValue(run: Run, out: ByteWriter, type: TypeShape, inputValue: unknown, selection: Step[] | null, repeats: boolean, parentType: GraphQLCompositeType): boolean {
  if (type.kind === 'nonNull') {
    if (writeValue(run, out, type.of, inputValue, selection, repeats, parentType)) {
      if (!run.hasErrors) recordNullInNonNull(run, type.of, parentType);
      return done(run, true, true, true);
    }
    return done(run, false, false, false);
  }
  if (inputValue === null) {
    out.ascii(NULL);
    return done(run, true, false, false);
  }
  const start = out.length;
  if (type.kind === 'list') {
    if (!Array.isArray(inputValue)) throw new ShapeAssertion(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.text}`);
    let shouldNullify = false;
    let hasErrors = false;
    out.byte(0x5b);
    for (let i = 0; i < inputValue.length; i++) {
      if (i > 0) out.byte(0x2c);
      run.path.push(i);
      writeValue(run, out, type.of, inputValue[i], selection, repeats, parentType);
      run.path.pop();
      if (run.invalid) shouldNullify = true;
      if (run.hasErrors) hasErrors = true;
    }
    if (shouldNullify) return nulled(run, out, start, hasErrors);
    out.byte(0x5d);
    return done(run, false, false, hasErrors);
  }
  if (type.kind === 'composite') {
    if (!selection) throw new ShapeAssertion(`Invalid empty selection set for composite type ${type.text}`);
    if (typeof inputValue !== 'object') throw new ShapeAssertion(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.text}`);
    const record = inputValue as Record<string, unknown>;
    const objType = objectTypeOf(run, type, record, parentType);
    if (!objType) {
      out.ascii(NULL);
      return done(run, true, false, true);
    }
    out.byte(0x7b);
    if (writeFields(run, out, start + 1, record, selection, objType, repeats ? [] : null) === BUBBLE) return nulled(run, out, start, true);
    out.byte(0x7d);
    return done(run, false, false, false);
  }
  if (!type.check(inputValue)) {
    recordInvalidValue(run, type, parentType);
    out.ascii(NULL);
    return done(run, true, false, true);
  }
  writeLeaf(out, inputValue);
  return done(run, false, false, false);
}

/**
 * A scalar or enum field: writeValue's leaf case (under its non-null wrapper, if any) without the walk, for most
 * fields of a page are leaves. The path is only extended to record an error. Returns whether the parent must
 * become null (a null in a non-null position).
 */
function writeLeafField(run: Run, out: ByteWriter, step: FieldStep, leaf: TypeShape & { kind: 'leaf' }, inputValue: unknown, parentType: GraphQLCompositeType): boolean {
  if (inputValue !== null && leaf.check(inputValue)) {
    writeLeaf(out, inputValue);
    return false;
  }
  out.ascii(NULL);
  const nonNull = step.type!.kind === 'nonNull';
  run.path.push(step.responseName);
  // As writeValue: an invalid value is reported as such; a plain null only where it was not allowed.
  if (inputValue !== null) recordInvalidValue(run, leaf, parentType);
  else if (nonNull) recordNullInNonNull(run, leaf, parentType);
  run.path.pop();
  return nonNull;
}

/** Takes back what a value wrote from `start` on and writes null instead. */
function nulled(run: Run, out: ByteWriter, start: number, hasErrors: boolean): boolean {
  out.truncate(start);
  out.ascii(NULL);
  return done(run, true, false, hasErrors);
}

function done(run: Run, wroteNull: boolean, invalidValue: boolean, hasErrors: boolean): boolean {
  run.invalid = invalidValue;
  run.hasErrors = hasErrors;
  return wroteNull;
}

/** A leaf value as JSON.stringify writes it (custom scalars may be any JSON value). */
function writeLeaf(out: ByteWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      out.string(value);
      return;
    case 'number':
      out.ascii(Number.isFinite(value) ? String(value) : NULL);
      return;
    case 'boolean':
      out.ascii(value ? 'true' : 'false');
      return;
    default:
      out.text(JSON.stringify(value) ?? NULL);
  }
}
