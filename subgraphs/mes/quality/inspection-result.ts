import type { InspectionResult } from '../backend/mes-backend';

/** The rule the MES applies to every reading: limits are inclusive. */
export const inspectionResult = (value: number, lower: number, upper: number): InspectionResult =>
  value >= lower && value <= upper ? 'PASS' : 'FAIL';
