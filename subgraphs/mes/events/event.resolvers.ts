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
      // Machines are not a partner's rows: a partner's stream stays empty.
      return filteredEvents(context.events, 'machine-status', args.after, (event) =>
        !context.ownedOrders && (!machines || machines.has(event.machineId)) && (!args.workCenter || event.workCenter === args.workCenter),
      );
    },
  })
  machineStatusChanged(@Root() event: BusEvent<'machine-status'>, @Args(() => MachineStatusChangedArgs) _args: MachineStatusChangedArgs): MachineStatusEvent {
    return MachineStatusEvent.from(event);
  }

  @Query(() => MachineStatusEvent, { nullable: true, description: 'A retained machine-status event by id.' })
  async machineStatusEvent(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: MesContext): Promise<MachineStatusEvent | null> {
    if (ctx.ownedOrders) return null;
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
      const owned = context.ownedOrders;
      return filteredEvents(context.events, 'production', args.after, async (event) =>
        (!types || types.has(event.type)) &&
        (!args.salesOrderId || event.salesOrderId === args.salesOrderId) &&
        // A partner: only events of its own orders (the set is re-read, with a short cache, as orders are added).
        (!owned || (event.salesOrderId !== null && event.salesOrderId !== undefined && (await owned()).has(event.salesOrderId))),
      );
    },
  })
  productionEvents(@Root() event: BusEvent<'production'>, @Args(() => ProductionEventsArgs) _args: ProductionEventsArgs): ProductionEvent {
    return ProductionEvent.from(event);
  }

  @Query(() => ProductionEvent, { nullable: true, description: 'A retained production event by id.' })
  async productionEvent(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: MesContext): Promise<ProductionEvent | null> {
    const event = await ctx.events.get('production', eventId);
    if (event && ctx.ownedOrders && !(event.payload.salesOrderId && (await ctx.ownedOrders()).has(event.payload.salesOrderId))) return null;
    return mapOrNull(event, ProductionEvent.from);
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
