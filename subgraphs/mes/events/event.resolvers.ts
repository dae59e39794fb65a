import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { MesContext } from '../context';
import { Machine } from '../equipment/machine.type';
import { WorkOrder } from '../production/work-order.type';
import { mapOrNull } from '../records';
import type { BusEvent } from './event-types';
import { filteredEvents } from './event-stream';
import { MachineStatusChangedArgs, MachineStatusEvent, ProductionEvent, ProductionEventsArgs } from './event.types';

type Subscribe<A> = SubscribeResolverData<unknown, A, MesContext>;

@Resolver(() => MachineStatusEvent)
export class MachineStatusEventResolver {
  @Subscription(() => MachineStatusEvent, {
    description: 'Machine state changes as they happen, optionally resumed after an event id.',
    subscribe: ({ args, context }: Subscribe<MachineStatusChangedArgs>) => {
      const machines = args.machineIds?.length ? new Set(args.machineIds) : null;
      return filteredEvents(context.events, 'machine-status', args.after, (event) =>
        (!machines || machines.has(event.machineId)) && (!args.workCenter || event.workCenter === args.workCenter),
      );
    },
  })
  machineStatusChanged(@Root() event: BusEvent<'machine-status'>, @Args(() => MachineStatusChangedArgs) _args: MachineStatusChangedArgs): MachineStatusEvent {
    return MachineStatusEvent.from(event);
  }

  @Query(() => MachineStatusEvent, { nullable: true, description: 'A retained machine-status event by id.' })
  async machineStatusEvent(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: MesContext): Promise<MachineStatusEvent | null> {
    return mapOrNull(await ctx.events.get('machine-status', eventId), MachineStatusEvent.from);
  }

  @FieldResolver(() => Machine, { nullable: true })
  async machine(@Root() event: MachineStatusEvent, @Ctx() ctx: MesContext): Promise<Machine | null> {
    return mapOrNull(await ctx.loaders.machine.load(event.machineId), Machine.from);
  }
}

@Resolver(() => ProductionEvent)
export class ProductionEventResolver {
  @Subscription(() => ProductionEvent, {
    description: 'Production events as they happen, optionally resumed after an event id.',
    subscribe: ({ args, context }: Subscribe<ProductionEventsArgs>) => {
      const types = args.types?.length ? new Set(args.types) : null;
      return filteredEvents(context.events, 'production', args.after, (event) =>
        (!types || types.has(event.type)) && (!args.salesOrderId || event.salesOrderId === args.salesOrderId),
      );
    },
  })
  productionEvents(@Root() event: BusEvent<'production'>, @Args(() => ProductionEventsArgs) _args: ProductionEventsArgs): ProductionEvent {
    return ProductionEvent.from(event);
  }

  @Query(() => ProductionEvent, { nullable: true, description: 'A retained production event by id.' })
  async productionEvent(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: MesContext): Promise<ProductionEvent | null> {
    return mapOrNull(await ctx.events.get('production', eventId), ProductionEvent.from);
  }

  @FieldResolver(() => WorkOrder, { nullable: true })
  async workOrder(@Root() event: ProductionEvent, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    return event.workOrderId ? mapOrNull(await ctx.loaders.workOrder.load(event.workOrderId), WorkOrder.from) : null;
  }

  @FieldResolver(() => Machine, { nullable: true })
  async machine(@Root() event: ProductionEvent, @Ctx() ctx: MesContext): Promise<Machine | null> {
    return event.machineId ? mapOrNull(await ctx.loaders.machine.load(event.machineId), Machine.from) : null;
  }
}
