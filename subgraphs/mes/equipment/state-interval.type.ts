import { Field, Float, ObjectType } from 'type-graphql';
import type { LossCategory, MachineState, StateIntervalRecord } from '../backend/mes-backend';
import { toDate, toOptionalDate } from '../dates';
import { LossCategoryEnum, MachineStateEnum } from '../enums';
import { isPlannedLoss } from './oee';

@ObjectType({ description: 'A span of time a machine spent in one state; stops carry a reason code and loss category.' })
export class MachineStateInterval {
  @Field(() => MachineStateEnum) state!: MachineState;
  @Field(() => String, { nullable: true }) reasonCode!: string | null;
  @Field(() => LossCategoryEnum, { nullable: true }) lossCategory!: LossCategory | null;
  @Field(() => Date) from!: Date;
  @Field(() => Date, { nullable: true, description: 'Null while the machine is still in this state.' }) to!: Date | null;
  @Field(() => Float, { description: 'Whole interval, not clipped to the query window; an open one lasts until now.' })
  durationSeconds!: number;
  @Field(() => Boolean, { description: 'A planned loss (excluded from OEE planned production time).' })
  planned!: boolean;

  static from(record: StateIntervalRecord, now: Date): MachineStateInterval {
    const from = toDate(record.from);
    const to = toOptionalDate(record.to);
    return Object.assign(new MachineStateInterval(), {
      state: record.state,
      reasonCode: record.reasonCode,
      lossCategory: record.lossCategory,
      from,
      to,
      durationSeconds: Math.max(0, ((to ?? now).getTime() - from.getTime()) / 1000),
      planned: isPlannedLoss(record),
    });
  }
}
