export { generateWorld, deepFreeze } from './generate-world';
export { loadWorld } from './load-world';
export { DEFAULT_ANCHOR, DEFAULT_SCALE, type World, type WorldOptions, type ErpData, type MesData } from './world';
export { inspectionResult, nonConformanceDescription } from './quality';
export { orderTotal } from './sales-orders';
export { compareIds } from './ids';
