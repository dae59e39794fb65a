import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { DEFAULT_COST_OPTIONS, type CostOptions } from './analyze';
import { analyzeOperationCached } from './analysis-cache';
import { badRequest, queryTooComplex } from './errors';

/** Limits on one operation (HTTP, batched or over the WebSocket). Each can be raised; none can be switched off. */
export interface OperationLimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  /** See the cost formula in analyze.ts. The bi reference operation with `first: 500` costs 7,006. */
  maxCost: number;
  /** Bytes of the operation's variables as JSON. */
  maxVariablesBytes: number;
  cost: CostOptions;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimitOptions = {
  maxDepth: 15,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 50_000,
  maxVariablesBytes: 64 * 1024,
  cost: DEFAULT_COST_OPTIONS,
};

export interface OperationToCheck {
  schema: GraphQLSchema;
  /** Parsed and validated: graphql-js rejects fragment cycles and unknown fragments before this runs. */
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown>;
}

/** The first limit the operation breaks, as the error to send, or undefined when it is within all of them. */
export function checkOperation(op: OperationToCheck, limits: OperationLimitOptions = DEFAULT_OPERATION_LIMITS): GraphQLError | undefined {
  const variablesBytes = op.variables ? Buffer.byteLength(JSON.stringify(op.variables)) : 0;
  if (variablesBytes > limits.maxVariablesBytes) {
    return badRequest(`variables are ${variablesBytes} bytes, more than the limit of ${limits.maxVariablesBytes}`, {
      limit: limits.maxVariablesBytes,
      actual: variablesBytes,
    });
  }
  const measures = analyzeOperationCached(op.schema, op.document, op.operationName, op.variables, limits.cost);
  if (!measures) return undefined;
  if (measures.depth > limits.maxDepth) return queryTooComplex('depth', limits.maxDepth, measures.depth);
  if (measures.aliases > limits.maxAliases) return queryTooComplex('aliases', limits.maxAliases, measures.aliases);
  if (measures.rootFields > limits.maxRootFields) return queryTooComplex('rootFields', limits.maxRootFields, measures.rootFields);
  if (measures.cost > limits.maxCost) return queryTooComplex('cost', limits.maxCost, measures.cost);
  return undefined;
}
