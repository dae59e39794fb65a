import { SITE, WORK_CENTERS } from './catalog';
import { pad } from './ids';
import type { Random } from './random';

/** What the generator knows about a machine beyond its record: the traits that shape its OEE. */
export interface MachineProfile {
  id: string;
  name: string;
  site: string;
  area: string;
  workCenter: string;
  idealCycleTimeSeconds: number;
  /** 0.5 (often down) … 1 (rarely down): scales failure frequency. */
  reliability: number;
  /** Actual speed as a share of rated speed, below 1. */
  speed: number;
  scrapRate: number;
}

/** The plant grows with the order book, within the brief's ceiling of 100 machines. */
export const MAX_MACHINES = 100;
const MAX_PER_WORK_CENTER = Math.floor(MAX_MACHINES / WORK_CENTERS.length);

export function generateMachines(rng: Random, scale: number): MachineProfile[] {
  return WORK_CENTERS.flatMap((center) => {
    const count = Math.min(MAX_PER_WORK_CENTER, rng.int(2, 4) + Math.floor(scale / 1000));
    return Array.from({ length: count }, (_, i): MachineProfile => ({
      id: `${center.code}-${pad(i + 1, 2)}`,
      name: `${center.machineLabel} ${pad(i + 1, 2)}`,
      site: SITE,
      area: center.area,
      workCenter: center.name,
      idealCycleTimeSeconds: rng.int(center.cycleSeconds[0], center.cycleSeconds[1]),
      reliability: rng.float(0.5, 1),
      speed: rng.float(0.6, 0.97),
      scrapRate: rng.float(0.002, 0.06),
    }));
  });
}
