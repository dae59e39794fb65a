import { Field, Int, ObjectType } from 'type-graphql';
import type { OperationRecord, OperationStatus } from '../backend/mes-backend';
import { toOptionalDate } from '../dates';
import { OperationStatusEnum } from '../enums';

@ObjectType({ description: 'One routing step of a work order (ISA-95 segment requirement/response).', simpleResolvers: true })
export class Operation {
  @Field(() => Int) sequence!: number;
  @Field(() => String) name!: string;
  @Field(() => String) workCenter!: string;
  @Field(() => OperationStatusEnum) status!: OperationStatus;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  /** Resolved to `machine` by OperationResolver. */
  machineId!: string;

  static from(record: OperationRecord): Operation {
    return Object.assign(new Operation(), {
      sequence: record.sequence,
      name: record.name,
      workCenter: record.workCenter,
      status: record.status,
      startedAt: toOptionalDate(record.startedAt),
      endedAt: toOptionalDate(record.endedAt),
      machineId: record.machineId,
    });
  }
}
