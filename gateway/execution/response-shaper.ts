import { ERRORS } from '@apollo/federation-internals';
import {
  GraphQLError,
  Kind,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  typeFromAST,
  valueFromAST,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The last step of a federated query: from the merged subgraph answers ("unfiltered data") to the response the
 * client asked for — its aliases and fragments, __typename, non-null propagation and leaf value checks.
 *
 * Same rules as @apollo/gateway's `computeResponse` (resultShaping.ts), whose output this must equal; but that
 * one walks federation-internals `Operation` objects (rebuilt from the document on every request) and looks up
 * types and directives per value, which profiling found to be a third of the gateway's CPU on a 500-row page.
 * Here an operation is compiled once into plain records (field, unwrapped type, leaf check, conditions) and the
 * walk is a tight loop over them.
 */

/** @skip / @include: a constant, or a variable read per request. */
export type Condition = { kind: 'skip' | 'include'; value: boolean } | { kind: 'skip' | 'include'; variable: string };

export type TypeShape =
  | { kind: 'nonNull'; of: TypeShape; text: string }
  | { kind: 'list'; of: TypeShape; text: string }
  | { kind: 'composite'; type: GraphQLCompositeType; text: string }
  | { kind: 'leaf'; check: (value: unknown) => boolean; text: string };

export interface FieldStep {
  kind: 'field';
  conditions: Condition[] | null;
  responseName: string;
  /** The name is also a member of Object.prototype ("constructor", "__proto__"): read and written as an own property. */
  inherited: boolean;
  isTypename: boolean;
  type: TypeShape | null;
  selection: Step[] | null;
  /** `"name":` and `,"name":` in UTF-8, for response-writer.ts. */
  key: Buffer;
  nextKey: Buffer;
  /** The field's type is a scalar or enum (non-null or not): response-writer.ts writes it without a walk. */
  leaf: (TypeShape & { kind: 'leaf' }) | null;
  /**
   * Set by `analyseNames`: another field of the same object has this response name (through a fragment, say);
   * whichever of them runs first gives the value, the others add nothing.
   */
  repeated: boolean;
  /** Set by `analyseNames`: some field of this field's own selection is `repeated`. */
  selectionRepeats: boolean;
}

export interface FragmentStep {
  kind: 'fragment';
  conditions: Condition[] | null;
  /** null: no type condition (always applies). */
  typeCondition: GraphQLCompositeType | null;
  selection: Step[];
}

export type Step = FieldStep | FragmentStep;

export interface CompiledShape {
  root: Step[];
  rootType: GraphQLCompositeType;
  /**
   * No selection asks twice for one response name that has a selection of its own (counting the fields of its
   * fragments, whatever their type conditions): then each object is written once, in step order, and
   * response-writer.ts can write the answer as it walks instead of building it. Repeated leaves (`__typename` and
   * `id` in a selection and in its fragments, as client libraries add them) are allowed: the first to run wins.
   */
  streamable: boolean;
  /** Some field of the root selection is `repeated`. */
  rootRepeats: boolean;
  /** Default values of the operation's variables (for @skip/@include on an omitted variable). */
  defaults: Record<string, unknown>;
}

/** Raised at compile time for what the shaper does not handle (introspection); the caller uses Apollo's path. */
export class UnsupportedOperation extends Error {}

/** Invariant violations in subgraph data; the caller turns them into a request error, as Apollo does. */
export class ShapeAssertion extends Error {}

export function compileShape(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): CompiledShape {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new UnsupportedOperation(`no ${operation.operation} root type`);
  const compiler = new Compiler(schema, fragments);
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (!definition.defaultValue) continue;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (type) defaults[definition.variable.name.value] = valueFromAST(definition.defaultValue, type);
  }
  const root = compiler.selectionSet(operation.selectionSet, rootType);
  const { streamable, repeats } = analyseNames(root);
  return { root, rootType, defaults, streamable, rootRepeats: repeats };
}

/** Marks repeated leaves, and whether a selection repeats a field that has a selection (not streamable). */
function analyseNames(steps: Step[]): { streamable: boolean; repeats: boolean } {
  const byName = new Map<string, FieldStep[]>();
  const collect = (list: Step[]) => {
    for (const step of list) {
      if (step.kind === 'fragment') collect(step.selection);
      else byName.set(step.responseName, [...(byName.get(step.responseName) ?? []), step]);
    }
  };
  collect(steps);
  let streamable = true;
  let repeats = false;
  for (const fields of byName.values()) {
    for (const field of fields) {
      if (fields.length > 1) {
        if (field.selection) streamable = false;
        field.repeated = true;
        repeats = true;
      }
      if (field.selection) {
        const inner = analyseNames(field.selection);
        field.selectionRepeats = inner.repeats;
        if (!inner.streamable) streamable = false;
      }
    }
  }
  return { streamable, repeats };
}

class Compiler {
  private readonly shapes = new Map<GraphQLOutputType, TypeShape>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  selectionSet(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, seen: ReadonlySet<string> = new Set()): Step[] {
    const steps: Step[] = [];
    for (const selection of selectionSet.selections) {
      const conditions = conditionsOf(selection.directives);
      if (selection.kind === Kind.FIELD) {
        steps.push(this.field(selection, parentType, conditions, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition ? this.compositeType(selection.typeCondition.name.value) : null;
        steps.push({ kind: 'fragment', conditions, typeCondition, selection: this.selectionSet(selection.selectionSet, typeCondition ?? parentType, seen) });
      } else {
        const name = selection.name.value;
        const fragment = this.fragments[name];
        if (!fragment || seen.has(name)) throw new UnsupportedOperation(`fragment ${name}`);
        const typeCondition = this.compositeType(fragment.typeCondition.name.value);
        const inner = new Set(seen).add(name);
        // A named fragment's own directives apply to its fields too (graphql-js does the same when collecting).
        const fragmentConditions = mergeConditions(conditions, conditionsOf(fragment.directives));
        steps.push({ kind: 'fragment', conditions: fragmentConditions, typeCondition, selection: this.selectionSet(fragment.selectionSet, typeCondition, inner) });
      }
    }
    return steps;
  }

  private field(node: FieldNode, parentType: GraphQLCompositeType, conditions: Condition[] | null, seen: ReadonlySet<string>): FieldStep {
    const name = node.name.value;
    const responseName = node.alias?.value ?? name;
    const inherited = responseName in Object.prototype;
    const key = Buffer.from(`${JSON.stringify(responseName)}:`);
    const nextKey = Buffer.from(`,${JSON.stringify(responseName)}:`);
    const names = { repeated: false, selectionRepeats: false };
    if (name === '__typename') return { kind: 'field', conditions, responseName, inherited, isTypename: true, type: null, selection: null, key, nextKey, leaf: null, ...names };
    if (name === '__schema' || name === '__type') throw new UnsupportedOperation('introspection');
    if (isAbstractType(parentType) && !('getFields' in parentType)) throw new UnsupportedOperation(`field ${name} on union ${parentType.name}`);
    const definition = (parentType as { getFields(): Record<string, { type: GraphQLOutputType }> }).getFields()[name];
    if (!definition) throw new UnsupportedOperation(`unknown field ${parentType.name}.${name}`);
    const type = this.shape(definition.type);
    const named = namedCompositeOf(definition.type);
    const selection = node.selectionSet && named ? this.selectionSet(node.selectionSet, named, seen) : null;
    const unwrapped = type.kind === 'nonNull' ? type.of : type;
    const leaf = unwrapped.kind === 'leaf' ? unwrapped : null;
    return { kind: 'field', conditions, responseName, inherited, isTypename: false, type, selection, key, nextKey, leaf, ...names };
  }

  private compositeType(name: string): GraphQLCompositeType {
    const type = this.schema.getType(name);
    if (!type || !isCompositeType(type)) throw new UnsupportedOperation(`unknown type ${name}`);
    return type;
  }

  private shape(type: GraphQLOutputType): TypeShape {
    let shape = this.shapes.get(type);
    if (shape) return shape;
    const text = String(type);
    if (isNonNullType(type)) shape = { kind: 'nonNull', of: this.shape(type.ofType), text };
    else if (isListType(type)) shape = { kind: 'list', of: this.shape(type.ofType), text };
    else if (isCompositeType(type)) shape = { kind: 'composite', type, text };
    else shape = { kind: 'leaf', check: leafCheck(type as GraphQLNamedType), text };
    this.shapes.set(type, shape);
    return shape;
  }
}

function namedCompositeOf(type: GraphQLOutputType): GraphQLCompositeType | null {
  let t: GraphQLOutputType = type;
  while (isNonNullType(t) || isListType(t)) t = t.ofType;
  return isCompositeType(t) ? t : null;
}

function conditionsOf(directives: readonly DirectiveNode[] | undefined): Condition[] | null {
  if (!directives || directives.length === 0) return null;
  const conditions: Condition[] = [];
  for (const directive of directives) {
    const kind = directive.name.value;
    if (kind !== 'skip' && kind !== 'include') continue;
    // Apollo reads only the first @skip and the first @include of an element.
    if (conditions.some((c) => c.kind === kind)) continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    if (arg.value.kind === Kind.VARIABLE) conditions.push({ kind, variable: arg.value.name.value });
    else if (arg.value.kind === Kind.BOOLEAN) conditions.push({ kind, value: arg.value.value });
    else throw new UnsupportedOperation(`@${kind}(if:) must be a boolean or a variable`);
  }
  return conditions.length > 0 ? conditions : null;
}

function mergeConditions(a: Condition[] | null, b: Condition[] | null): Condition[] | null {
  if (!b) return a;
  if (!a) return b;
  return [...a, ...b];
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/** federation-internals `isValidLeafValue`, decided once per type instead of per value. */
function leafCheck(type: GraphQLNamedType): (value: unknown) => boolean {
  if (isEnumType(type)) {
    const values = new Set((type as GraphQLEnumType).getValues().map((v) => v.name));
    return (value) => typeof value === 'string' && values.has(value);
  }
  if (!isScalarType(type)) return () => false;
  switch (type.name) {
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    case 'Int':
      // What INTEGER.test(String(value)) accepts, without a string per value: integers that print without an exponent.
      return (value) => typeof value === 'number' && Number.isInteger(value) && value < 1e21 && value > -1e21;
    case 'ID':
      return (value) =>
        typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value) && INTEGER.test(String(value)));
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    default:
      return () => true; // custom scalars: whatever the subgraph sent
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
export const BUBBLE = 1;
export const OK = 0;

export interface Run {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: (string | number)[];
  /**
   * Out-parameters of updateValue, set on every return and read by its caller right after the call: the value
   * was a null in a non-null position (the parent must become null too), and an error was already recorded for
   * it. Apollo returns an object per value for this; on a 500-row page those were a third of the gateway's
   * allocations.
   */
  invalid: boolean;
  hasErrors: boolean;
}

export interface ShapeResult {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLError[];
}

/** Applies a compiled operation to the merged subgraph data; throws (like Apollo's asserts) on malformed data. */
export function shapeResponse(schema: GraphQLSchema, shape: CompiledShape, variables: Record<string, unknown> | undefined, input: Record<string, unknown> | null | undefined): ShapeResult {
  if (!input) return { data: input, errors: [] };
  const run: Run = { schema, variables: { ...shape.defaults, ...variables }, errors: [], path: [], invalid: false, hasErrors: false };
  const data: Record<string, unknown> = Object.create(null);
  const result = applySelection(run, input, shape.root, data, shape.rootType);
  return { data: result === BUBBLE ? null : data, errors: run.errors };
}

export function isShapeAssertion(error: unknown): error is Error {
  return error instanceof ShapeAssertion;
}

function ownValue(object: Record<string, unknown>, name: string): unknown {
  return hasOwn.call(object, name) ? object[name] : undefined;
}

function writeField(output: Record<string, unknown>, step: FieldStep, value: unknown): void {
  if (step.inherited) Object.defineProperty(output, step.responseName, { value, writable: true, enumerable: true, configurable: true });
  else output[step.responseName] = value;
}

export function skipped(run: Run, conditions: Condition[]): boolean {
  let skip = false;
  let include = true;
  for (const condition of conditions) {
    let value: unknown;
    if ('value' in condition) value = condition.value;
    else {
      value = run.variables[condition.variable];
      if (typeof value !== 'boolean') throw new ShapeAssertion(`Unexpected value ${String(value)} for variable $${condition.variable} of @${condition.kind}`);
    }
    if (condition.kind === 'skip') skip = value as boolean;
    else include = value as boolean;
  }
  return skip || !include;
}

function applySelection(run: Run, input: Record<string, unknown>, steps: Step[], output: Record<string, unknown>, parentType: GraphQLCompositeType): number {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.conditions !== null && skipped(run, step.conditions)) continue;
    if (step.kind === 'field') {
      const responseName = step.responseName;
      const outputValue = step.inherited ? ownValue(output, responseName) : output[responseName];
      let inputValue = hasOwn.call(input, responseName) ? (input[responseName] ?? null) : null;
      if (step.isTypename) {
        if (outputValue === undefined) {
          const typename = typenameOf(run, input, responseName, inputValue, parentType);
          if (typename === null) return BUBBLE;
          writeField(output, step, typename);
        }
        continue;
      }
      run.path.push(responseName);
      const updated = updateValue(run, outputValue, step.type!, inputValue, step.selection, parentType);
      writeField(output, step, updated);
      run.path.pop();
      if (run.invalid) return BUBBLE;
    } else if (fragmentApplies(run, step, input, parentType)) {
      if (applySelection(run, input, step.selection, output, step.typeCondition ?? parentType) === BUBBLE) return BUBBLE;
    }
  }
  return OK;
}

/** The value of a __typename field (under any alias); null: not an object type, which nulls its parent. */
export function typenameOf(run: Run, input: Record<string, unknown>, responseName: string, inputValue: unknown, parentType: GraphQLCompositeType): string | null {
  const value = inputValue === null && responseName !== '__typename' ? (input.__typename ?? null) : inputValue;
  const named = typeof value === 'string' ? (run.schema.getType(value) ?? parentType) : parentType;
  return isObjectType(named) ? named.name : null;
}

/** The type an object of the answer has: its __typename's, or the field's; null (error recorded): not a known type. */
export function objectTypeOf(run: Run, type: TypeShape & { kind: 'composite' }, record: Record<string, unknown>, parentType: GraphQLCompositeType): GraphQLCompositeType | null {
  const inputTypename = record.__typename;
  if (inputTypename !== undefined && typeof inputTypename !== 'string') throw new ShapeAssertion(`Invalid non-string value ${String(inputTypename)} for __typename at ${run.path.join(',')}`);
  if (!inputTypename) return type.type;
  const named = run.schema.getType(inputTypename);
  if (named && isCompositeType(named)) return named;
  run.errors.push(invalid(run, `Invalid __typename found for object at ${describeLast(run.path, type, parentType)}.`));
  return null;
}

/** Whether a fragment's type condition holds for this object of the answer (by its __typename, else the field's type). */
export function fragmentApplies(run: Run, step: FragmentStep, input: Record<string, unknown>, parentType: GraphQLCompositeType): boolean {
  const typename = input.__typename;
  if (typename && typeof typename !== 'string') throw new ShapeAssertion(`Got unexpected value for __typename: ${String(typename)}`);
  return typeConditionApplies(run.schema, step.typeCondition, typename ? (typename as string) : undefined, parentType);
}

function typeConditionApplies(schema: GraphQLSchema, condition: GraphQLCompositeType | null, typename: string | undefined, parentType: GraphQLCompositeType): boolean {
  if (!condition) return true;
  if (typename) {
    const type = schema.getType(typename);
    return !!type && isSubtype(schema, condition, type);
  }
  return isSubtype(schema, condition, parentType);
}

function isSubtype(schema: GraphQLSchema, type: GraphQLNamedType, maybeSub: GraphQLNamedType): boolean {
  if (type === maybeSub) return true;
  if (!isAbstractType(type)) return false;
  if (!isObjectType(maybeSub) && !('getInterfaces' in maybeSub)) return false;
  return schema.isSubType(type, maybeSub as never);
}

function describeLast(path: readonly (string | number)[], type: TypeShape, parentType: GraphQLCompositeType): string {
  const element = path[path.length - 1];
  return typeof element === 'string' ? `field ${parentType.name}.${element}` : `array element of type ${type.text} at index ${element}`;
}

/** Apollo's error for a null where `type` (the non-null's inner type) may not be null; run.path ends at the value. */
export function recordNullInNonNull(run: Run, type: TypeShape, parentType: GraphQLCompositeType): void {
  run.errors.push(invalid(run, `Cannot return null for non-nullable ${describeLast(run.path, type, parentType)}.`));
}

/** Apollo's error for a leaf value its type does not accept; run.path ends at the value. */
export function recordInvalidValue(run: Run, type: TypeShape, parentType: GraphQLCompositeType): void {
  run.errors.push(invalid(run, `Invalid value found for ${describeLast(run.path, type, parentType)}.`));
}

function invalid(run: Run, message: string): GraphQLError {
  return ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(run.path) });
}

/** Sets run.invalid and run.hasErrors (see Run) and returns the value to write. */
function done(run: Run, updated: unknown, invalid: boolean, hasErrors: boolean): unknown {
  run.invalid = invalid;
  run.hasErrors = hasErrors;
  return updated;
}

function updateValue(run: Run, outputValue: unknown, type: TypeShape, inputValue: unknown, selection: Step[] | null, parentType: GraphQLCompositeType): unknown {
  if (outputValue === null || (outputValue !== undefined && !selection)) return done(run, outputValue, false, false);
  if (type.kind === 'nonNull') {
    const inner = updateValue(run, outputValue, type.of, inputValue, selection, parentType);
    if (inner === null) {
      if (!run.hasErrors) recordNullInNonNull(run, type.of, parentType);
      return done(run, null, true, true);
    }
    return done(run, inner, false, false);
  }
  if (inputValue === null) return done(run, null, false, false);
  if (type.kind === 'list') {
    if (!Array.isArray(inputValue)) throw new ShapeAssertion(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.text}`);
    if (outputValue !== undefined && !Array.isArray(outputValue)) throw new ShapeAssertion(`Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${type.text}`);
    const previous = outputValue as unknown[] | undefined;
    if (previous && previous.length !== inputValue.length) throw new ShapeAssertion(`list lengths differ (${inputValue.length} vs ${previous.length})`);
    let shouldNullify = false;
    let hasErrors = false;
    const updated = new Array<unknown>(inputValue.length);
    for (let i = 0; i < inputValue.length; i++) {
      run.path.push(i);
      updated[i] = updateValue(run, previous ? previous[i] : undefined, type.of, inputValue[i], selection, parentType);
      run.path.pop();
      if (run.invalid) shouldNullify = true;
      if (run.hasErrors) hasErrors = true;
    }
    return done(run, shouldNullify ? null : updated, false, hasErrors);
  }
  if (type.kind === 'composite') {
    if (!selection) throw new ShapeAssertion(`Invalid empty selection set for composite type ${type.text}`);
    if (typeof inputValue !== 'object') throw new ShapeAssertion(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.text}`);
    if (outputValue !== undefined && typeof outputValue !== 'object') throw new ShapeAssertion(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.text}`);
    const record = inputValue as Record<string, unknown>;
    const objType = objectTypeOf(run, type, record, parentType);
    if (!objType) return done(run, null, false, true);
    // Plain objects, not Object.create(null): V8 keeps null-prototype objects in dictionary mode, and on a 500-row
    // page those cost the gateway ~15% more CPU (bench/RESULTS.md, part H). Names that Object.prototype also has
    // are read and written as own properties (FieldStep.inherited), so an alias "__proto__" stays a field.
    const target = (outputValue === undefined ? {} : outputValue) as Record<string, unknown>;
    const bubbled = applySelection(run, record, selection, target, objType) === BUBBLE;
    return done(run, bubbled ? null : target, false, bubbled);
  }
  if (outputValue !== undefined) throw new ShapeAssertion(`Excepted output to be undefined but got ${type.text} for type ${type.text}`);
  const valid = type.check(inputValue);
  if (!valid) recordInvalidValue(run, type, parentType);
  return done(run, valid ? inputValue : null, false, !valid);
}
