import { graphqlEnum } from '../common/graphql-enum';
import {
  INSPECTION_RESULTS,
  LOSS_CATEGORIES,
  MACHINE_STATES,
  NON_CONFORMANCE_STATUSES,
  OPERATION_STATUSES,
  WORK_ORDER_STATUSES,
} from './backend/mes-backend';

export const WorkOrderStatusEnum = graphqlEnum(
  WORK_ORDER_STATUSES,
  'WorkOrderStatus',
  'ISA-95 operations request state, reduced to what the shop floor reports.',
);
export const OperationStatusEnum = graphqlEnum(OPERATION_STATUSES, 'OperationStatus');
export const MachineStateEnum = graphqlEnum(
  MACHINE_STATES,
  'MachineState',
  'PackML states folded into six; OFFLINE also when telemetry is lost (Sparkplug DDEATH).',
);
export const LossCategoryEnum = graphqlEnum(
  LOSS_CATEGORIES,
  'LossCategory',
  'OEE loss bucket of a stop. PLANNED time is excluded from planned production time.',
);
export const InspectionResultEnum = graphqlEnum(INSPECTION_RESULTS, 'InspectionResult');
export const NonConformanceStatusEnum = graphqlEnum(NON_CONFORMANCE_STATUSES, 'NonConformanceStatus');

export const PRODUCTION_RISK_LEVELS = ['NOT_STARTED', 'ON_TRACK', 'AT_RISK', 'LATE', 'COMPLETE'] as const;
export type ProductionRiskLevel = (typeof PRODUCTION_RISK_LEVELS)[number];
export const ProductionRiskLevelEnum = graphqlEnum(
  PRODUCTION_RISK_LEVELS,
  'ProductionRiskLevel',
  'Whether production will finish by the ERP due date at the measured rate.',
);
