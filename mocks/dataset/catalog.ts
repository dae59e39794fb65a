import type { LossCategory, MachineState } from '../../subgraphs/mes/backend/mes-backend';

/** Static vocabulary the generator draws from. Plausible for a metal-parts manufacturer; nothing here is random. */

export const COMPANY_CURRENCY = 'EUR';

export interface CountryInfo {
  code: string;
  currency: string;
  /** Units of `currency` per EUR, to price orders in the customer's currency. */
  rate: number;
  legalForm: string;
}

export const COUNTRIES: readonly CountryInfo[] = [
  { code: 'DE', currency: 'EUR', rate: 1, legalForm: 'GmbH' },
  { code: 'FR', currency: 'EUR', rate: 1, legalForm: 'SAS' },
  { code: 'IT', currency: 'EUR', rate: 1, legalForm: 'S.p.A.' },
  { code: 'ES', currency: 'EUR', rate: 1, legalForm: 'S.L.' },
  { code: 'NL', currency: 'EUR', rate: 1, legalForm: 'B.V.' },
  { code: 'US', currency: 'USD', rate: 1.08, legalForm: 'Inc.' },
  { code: 'GB', currency: 'GBP', rate: 0.85, legalForm: 'Ltd' },
  { code: 'PL', currency: 'PLN', rate: 4.3, legalForm: 'Sp. z o.o.' },
  { code: 'CZ', currency: 'CZK', rate: 25.2, legalForm: 's.r.o.' },
  { code: 'SE', currency: 'SEK', rate: 11.2, legalForm: 'AB' },
];

export const COMPANY_WORDS = [
  'Alpine', 'Baltic', 'Cobalt', 'Delta', 'Eastgate', 'Falcon', 'Granite', 'Harbor', 'Iron Valley', 'Juniper',
  'Keystone', 'Lakeside', 'Meridian', 'Northwind', 'Orion', 'Pinnacle', 'Quarry', 'Riverside', 'Summit', 'Titan',
  'Union', 'Vector', 'Westfield', 'Zenith', 'Atlas', 'Beacon', 'Crescent', 'Dynamo', 'Evergreen', 'Frontier',
] as const;

export const COMPANY_TRADES = [
  'Hydraulics', 'Pumps', 'Agritech', 'Motion Systems', 'Fluid Power', 'Machinery', 'Automation', 'Rail Systems',
  'Marine', 'Compressors', 'Valves', 'Drives', 'Mining Equipment', 'Energy Systems', 'Industrial',
] as const;

export const SUPPLIERS = [
  { name: 'Nordstahl Handels GmbH', country: 'DE' },
  { name: 'Acciaierie Lombarde S.p.A.', country: 'IT' },
  { name: 'Aluminium du Rhône SAS', country: 'FR' },
  { name: 'Silesia Metal Sp. z o.o.', country: 'PL' },
  { name: 'Precision Fasteners Ltd', country: 'GB' },
  { name: 'Coatings Iberia S.L.', country: 'ES' },
] as const;

export interface FinishedGoodSpec {
  name: string;
  /** List price in the company currency. */
  basePrice: number;
}

export const FINISHED_GOODS: readonly FinishedGoodSpec[] = [
  { name: 'Hydraulic Valve Body', basePrice: 184 },
  { name: 'Gear Housing', basePrice: 236 },
  { name: 'Pump Impeller', basePrice: 92 },
  { name: 'Drive Shaft', basePrice: 148 },
  { name: 'Mounting Bracket', basePrice: 24 },
  { name: 'Flange Coupling', basePrice: 61 },
  { name: 'Bearing Carrier', basePrice: 77 },
  { name: 'Cylinder End Cap', basePrice: 39 },
  { name: 'Manifold Block', basePrice: 212 },
  { name: 'Motor Adapter Plate', basePrice: 45 },
  { name: 'Welded Frame', basePrice: 318 },
  { name: 'Spindle Sleeve', basePrice: 128 },
  { name: 'Chain Sprocket', basePrice: 57 },
  { name: 'Valve Stem', basePrice: 33 },
  { name: 'Piston Rod', basePrice: 86 },
  { name: 'Sensor Housing', basePrice: 41 },
  { name: 'Guard Panel', basePrice: 29 },
  { name: 'Axle Hub', basePrice: 166 },
  { name: 'Pulley Wheel', basePrice: 52 },
  { name: 'Support Bracket', basePrice: 19 },
  { name: 'Gearbox Cover', basePrice: 98 },
  { name: 'Hinge Assembly', basePrice: 36 },
  { name: 'Clamp Ring', basePrice: 22 },
  { name: 'Coupling Hub', basePrice: 71 },
];

export interface RawMaterialSpec {
  name: string;
  unitOfMeasure: string;
  unitCost: number;
  /** Consumption range per finished unit, in the material's unit. */
  perUnit: readonly [number, number];
}

export const RAW_MATERIALS: readonly RawMaterialSpec[] = [
  { name: 'Steel Bar S355 Ø40', unitOfMeasure: 'Kg', unitCost: 1.35, perUnit: [0.5, 4] },
  { name: 'Aluminium Sheet 6061 3mm', unitOfMeasure: 'Kg', unitCost: 3.9, perUnit: [0.2, 1.5] },
  { name: 'Stainless Tube 316L', unitOfMeasure: 'Meter', unitCost: 14.5, perUnit: [0.1, 0.8] },
  { name: 'Cast Iron Blank GG25', unitOfMeasure: 'Nos', unitCost: 11.2, perUnit: [1, 1] },
  { name: 'Brass Rod CuZn39', unitOfMeasure: 'Kg', unitCost: 6.8, perUnit: [0.1, 0.6] },
  { name: 'Powder Coat RAL 7016', unitOfMeasure: 'Kg', unitCost: 9.5, perUnit: [0.05, 0.3] },
  { name: 'Welding Wire G3Si1', unitOfMeasure: 'Kg', unitCost: 2.7, perUnit: [0.02, 0.2] },
  { name: 'Bearing 6204-2RS', unitOfMeasure: 'Nos', unitCost: 2.1, perUnit: [1, 2] },
  { name: 'Hex Bolt M10x40 8.8', unitOfMeasure: 'Nos', unitCost: 0.18, perUnit: [2, 8] },
  { name: 'O-Ring NBR 30x3', unitOfMeasure: 'Nos', unitCost: 0.09, perUnit: [1, 4] },
  { name: 'Steel Plate S235 10mm', unitOfMeasure: 'Kg', unitCost: 1.1, perUnit: [1, 6] },
  { name: 'Forged Blank C45', unitOfMeasure: 'Nos', unitCost: 8.4, perUnit: [1, 1] },
  { name: 'Copper Busbar 20x5', unitOfMeasure: 'Meter', unitCost: 18.9, perUnit: [0.05, 0.4] },
  { name: 'Zinc Plating Anodes', unitOfMeasure: 'Kg', unitCost: 4.2, perUnit: [0.01, 0.05] },
  { name: 'Spring Steel Wire 2mm', unitOfMeasure: 'Meter', unitCost: 0.6, perUnit: [0.5, 3] },
  { name: 'Hydraulic Seal Kit', unitOfMeasure: 'Nos', unitCost: 3.3, perUnit: [1, 1] },
];

export const SITE = 'Lyon Plant';

export interface WorkCenterSpec {
  name: string;
  area: string;
  machineLabel: string;
  /** Machine id prefix, e.g. `CUT-01`. */
  code: string;
  operation: string;
  /** Range of ideal cycle times, seconds per unit. */
  cycleSeconds: readonly [number, number];
}

/** In routing order: every work order visits a subsequence of these, never two steps in one work center. */
export const WORK_CENTERS: readonly WorkCenterSpec[] = [
  { name: 'Cutting', area: 'Fabrication', machineLabel: 'Laser Cutter', code: 'CUT', operation: 'Laser cutting', cycleSeconds: [20, 45] },
  { name: 'Machining', area: 'Fabrication', machineLabel: 'CNC Mill', code: 'CNC', operation: 'CNC machining', cycleSeconds: [60, 150] },
  { name: 'Welding', area: 'Assembly', machineLabel: 'Welding Cell', code: 'WLD', operation: 'Robot welding', cycleSeconds: [45, 110] },
  { name: 'Finishing', area: 'Assembly', machineLabel: 'Coating Line', code: 'FIN', operation: 'Powder coating', cycleSeconds: [15, 40] },
];

export interface StopReason {
  reasonCode: string;
  lossCategory: LossCategory;
  weight: number;
}

/**
 * Why a machine is not running. Unplanned reasons are ERPNext's Downtime Entry `stop_reason` options; planned
 * ones (excluded from planned production time by the OEE formula) are the plant's own additions.
 */
export const STOP_REASONS: Readonly<Record<Exclude<MachineState, 'RUNNING'>, readonly StopReason[]>> = {
  IDLE: [
    { reasonCode: 'On-machine press checks', lossCategory: 'PERFORMANCE', weight: 3 },
    { reasonCode: 'Other', lossCategory: 'PERFORMANCE', weight: 2 },
    { reasonCode: 'Quality hold', lossCategory: 'QUALITY', weight: 1 },
    { reasonCode: 'No work order', lossCategory: 'PLANNED', weight: 2 },
  ],
  SETUP: [{ reasonCode: 'Excessive machine set up time', lossCategory: 'AVAILABILITY', weight: 1 }],
  DOWN: [
    { reasonCode: 'Machine malfunction', lossCategory: 'AVAILABILITY', weight: 4 },
    { reasonCode: 'Machine operator errors', lossCategory: 'AVAILABILITY', weight: 2 },
    { reasonCode: 'Electricity down', lossCategory: 'AVAILABILITY', weight: 1 },
  ],
  MAINTENANCE: [
    { reasonCode: 'Unplanned machine maintenance', lossCategory: 'AVAILABILITY', weight: 2 },
    { reasonCode: 'Planned maintenance', lossCategory: 'PLANNED', weight: 3 },
  ],
  OFFLINE: [
    { reasonCode: 'Shift not staffed', lossCategory: 'PLANNED', weight: 4 },
    { reasonCode: 'Electricity down', lossCategory: 'AVAILABILITY', weight: 1 },
  ],
};

export interface CharacteristicSpec {
  name: string;
  unit: string;
  nominal: number;
  tolerance: number;
  /** Decimal places the gauge reports. */
  decimals: number;
}

export const CHARACTERISTICS: readonly CharacteristicSpec[] = [
  { name: 'Bore diameter', unit: 'mm', nominal: 25, tolerance: 0.05, decimals: 3 },
  { name: 'Overall length', unit: 'mm', nominal: 120, tolerance: 0.2, decimals: 2 },
  { name: 'Surface roughness Ra', unit: 'µm', nominal: 1.6, tolerance: 0.8, decimals: 2 },
  { name: 'Hardness', unit: 'HRC', nominal: 45, tolerance: 3, decimals: 1 },
  { name: 'Coating thickness', unit: 'µm', nominal: 80, tolerance: 20, decimals: 0 },
  { name: 'Weld throat thickness', unit: 'mm', nominal: 4, tolerance: 0.5, decimals: 2 },
  { name: 'Flatness', unit: 'mm', nominal: 0.05, tolerance: 0.05, decimals: 3 },
  { name: 'Thread pitch diameter', unit: 'mm', nominal: 9.03, tolerance: 0.04, decimals: 3 },
];
