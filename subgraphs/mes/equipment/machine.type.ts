import { Directive, Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { LossCategory, MachineRecord, MachineState } from '../backend/mes-backend';
import { toDate } from '../dates';
import { LossCategoryEnum, MachineStateEnum } from '../enums';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'Where a machine sits in the ISA-95 equipment hierarchy.', simpleResolvers: true })
export class EquipmentPath {
  @Field(() => String) site!: string;
  @Field(() => String) area!: string;
  @Field(() => String) workCenter!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A work unit on the shop floor, with its live state and OEE.', simpleResolvers: true })
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class Machine {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => EquipmentPath) equipmentPath!: EquipmentPath;
  @Field(() => String, { description: 'Same as equipmentPath.workCenter, the level most screens group by.' })
  workCenter!: string;
  @Field(() => Float, { description: 'Seconds per unit at rated speed: the ideal cycle time of OEE performance.' })
  idealCycleTime!: number;
  @Field(() => MachineStateEnum) state!: MachineState;
  @Field(() => Date) stateSince!: Date;
  @Field(() => String, { nullable: true }) reasonCode!: string | null;
  @Field(() => LossCategoryEnum, { nullable: true }) lossCategory!: LossCategory | null;
  /** Resolved to `currentWorkOrder` by MachineResolver. */
  currentWorkOrderId!: string | null;

  static from(record: MachineRecord): Machine {
    return Object.assign(new Machine(), {
      id: record.id,
      name: record.name,
      equipmentPath: Object.assign(new EquipmentPath(), { site: record.site, area: record.area, workCenter: record.workCenter }),
      workCenter: record.workCenter,
      idealCycleTime: record.idealCycleTimeSeconds,
      state: record.state,
      stateSince: toDate(record.stateSince),
      reasonCode: record.reasonCode,
      lossCategory: record.lossCategory,
      currentWorkOrderId: record.currentWorkOrderId,
    });
  }
}

@ObjectType()
export class MachineConnection extends Connection(Machine, 'Machine') {}

@InputType('MachineFilter', { description: 'All given fields must match.' })
export class MachineFilterInput {
  @Field(() => String, { nullable: true }) workCenter?: string | null;
  @Field(() => MachineStateEnum, { nullable: true }) state?: MachineState | null;
}
