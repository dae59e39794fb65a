import { registerEnumType } from 'type-graphql';
import {
  INSPECTION_RESULTS,
  LOSS_CATEGORIES,
  MACHINE_STATES,
  NON_CONFORMANCE_STATUSES,
  OPERATION_STATUSES,
  WORK_ORDER_STATUSES,
} from './backend/mes-backend';

/**
 * The backend contract spells its enums as `as const` string lists; type-graphql wants an enum object.
 * Building the objects from those lists keeps one source of truth for the allowed values.
 */
function enumOf<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
}

export const WorkOrderStatusEnum = enumOf(WORK_ORDER_STATUSES);
export const OperationStatusEnum = enumOf(OPERATION_STATUSES);
export const MachineStateEnum = enumOf(MACHINE_STATES);
export const LossCategoryEnum = enumOf(LOSS_CATEGORIES);
export const InspectionResultEnum = enumOf(INSPECTION_RESULTS);
export const NonConformanceStatusEnum = enumOf(NON_CONFORMANCE_STATUSES);

export const PRODUCTION_RISK_LEVELS = ['NOT_STARTED', 'ON_TRACK', 'AT_RISK', 'LATE', 'COMPLETE'] as const;
export type ProductionRiskLevel = (typeof PRODUCTION_RISK_LEVELS)[number];
export const ProductionRiskLevelEnum = enumOf(PRODUCTION_RISK_LEVELS);

registerEnumType(WorkOrderStatusEnum, {
  name: 'WorkOrderStatus',
  description: 'ISA-95 operations request state, reduced to what the shop floor reports.',
});
registerEnumType(OperationStatusEnum, { name: 'OperationStatus' });
registerEnumType(MachineStateEnum, {
  name: 'MachineState',
  description: 'PackML states folded into six; OFFLINE also when telemetry is lost (Sparkplug DDEATH).',
});
registerEnumType(LossCategoryEnum, {
  name: 'LossCategory',
  description: 'OEE loss bucket of a stop. PLANNED time is excluded from planned production time.',
});
registerEnumType(InspectionResultEnum, { name: 'InspectionResult' });
registerEnumType(NonConformanceStatusEnum, { name: 'NonConformanceStatus' });
registerEnumType(ProductionRiskLevelEnum, {
  name: 'ProductionRiskLevel',
  description: 'Whether production will finish by the ERP due date at the measured rate.',
});
