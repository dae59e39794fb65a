import { ArgsType, Field, ID, Int, ObjectType, Directive } from 'type-graphql';
import { graphqlEnum } from '../../common/graphql-enum';
import type { LossCategory, MachineState } from '../backend/mes-backend';
import { toDate } from '../dates';
import { LossCategoryEnum, MachineStateEnum } from '../enums';
import { PRODUCTION_EVENT_TYPES, type BusEvent, type ProductionEventType } from './event-types';
import { Scope, requiresScopes } from '../../common/scopes';

export const ProductionEventTypeEnum = graphqlEnum(
  PRODUCTION_EVENT_TYPES,
  'ProductionEventType',
  'What happened to a work order (or to the machine serving it).',
);

const EVENT_ID_DESCRIPTION =
  'Grows with every event on its stream. Keep the last one you received and pass it as `after` to resume ' +
  'without gaps or duplicates.';

@Directive(requiresScopes(Scope.PRODUCTION_READ))
@ObjectType({ description: 'A machine entered a new state.' })
export class MachineStatusEvent {
  @Field(() => ID, { description: EVENT_ID_DESCRIPTION }) eventId!: string;
  /** Resolved to `machine` by MachineStatusEventResolver. */
  machineId!: string;
  @Field(() => MachineStateEnum) previousState!: MachineState;
  @Field(() => MachineStateEnum) state!: MachineState;
  @Field(() => String, { nullable: true }) reasonCode!: string | null;
  @Field(() => LossCategoryEnum, { nullable: true }) lossCategory!: LossCategory | null;
  @Field(() => Date) at!: Date;

  static from(event: BusEvent<'machine-status'>): MachineStatusEvent {
    const { machineId, previousState, state, reasonCode, lossCategory, at } = event.payload;
    return Object.assign(new MachineStatusEvent(), {
      eventId: event.eventId,
      machineId,
      previousState,
      state,
      reasonCode,
      lossCategory,
      at: toDate(at),
    });
  }
}

@Directive(requiresScopes(Scope.PRODUCTION_READ))
@ObjectType({ description: 'Something happened in production: released, started, reported, completed, failed, down.' })
export class ProductionEvent {
  @Field(() => ID, { description: EVENT_ID_DESCRIPTION }) eventId!: string;
  @Field(() => ProductionEventTypeEnum) type!: ProductionEventType;
  /** Resolved to `workOrder` / `machine` by ProductionEventResolver. */
  workOrderId!: string | null;
  machineId!: string | null;
  @Field(() => Int, { nullable: true, description: 'PRODUCTION_REPORTED: good units in this report.' }) good!: number | null;
  @Field(() => Int, { nullable: true, description: 'PRODUCTION_REPORTED: scrapped units in this report.' }) scrap!: number | null;
  @Field(() => Date) at!: Date;

  static from(event: BusEvent<'production'>): ProductionEvent {
    const { type, workOrderId, machineId, good, scrap, at } = event.payload;
    return Object.assign(new ProductionEvent(), { eventId: event.eventId, type, workOrderId, machineId, good, scrap, at: toDate(at) });
  }
}

const AFTER_DESCRIPTION =
  'Resume point: the last eventId you received. You first get every retained event after it, in order, then ' +
  'live ones. Omit it to start with live events. Too old: error EVENT_ID_EXPIRED.';

@ArgsType()
export class MachineStatusChangedArgs {
  @Field(() => [ID], { nullable: true, description: 'Only these machines (all when omitted).' })
  machineIds?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Only machines of this work center.' })
  workCenter?: string | null;
  @Field(() => ID, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

@ArgsType()
export class ProductionEventsArgs {
  @Field(() => [ProductionEventTypeEnum], { nullable: true, description: 'Only these types (all when omitted).' })
  types?: ProductionEventType[] | null;
  @Field(() => ID, { nullable: true, description: 'Only events of work orders made for this sales order.' })
  salesOrderId?: string | null;
  @Field(() => ID, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}
