import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { badUserInput } from '../../common/errors';
import type { MesContext } from '../context';
import { Machine } from '../equipment/machine.type';
import { WorkOrder } from '../production/work-order.type';
import { mapOrNull } from '../records';
import type { BusEvent } from './event-types';
import { filteredEvents } from './event-stream';
import { MachineStatusChangedArgs, MachineStatusEvent, ProductionEvent, ProductionEventsArgs } from './event.types';

type Subscribe<A> = SubscribeResolverData<unknown, A, MesContext>;

/** Ids per call of the by-ids lookups: the gateway hydrates the events of a moment in one operation. */
export const MAX_EVENT_IDS = 1000;

const BY_IDS_DESCRIPTION =
  `in the order asked, null where unknown or trimmed (at most ${MAX_EVENT_IDS} ids). ` +
  'The gateway hydrates many subscription events at once with it.';

/**
 * One lookup per id; a lookup that fails (a malformed id) fails only its own item: graphql-js completes an Error
 * list item as a null with an error at that index, exactly what the single-id field gives for that id.
 */
async function eachEvent<T>(eventIds: readonly string[], lookup: (eventId: string) => Promise<T | null>): Promise<(T | null)[]> {
  if (eventIds.length > MAX_EVENT_IDS) throw badUserInput(`at most ${MAX_EVENT_IDS} event ids per call, got ${eventIds.length}`, 'eventIds');
  return Promise.all(eventIds.map((eventId) => lookup(eventId).catch((error: unknown) => error as T)));
}

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

  @Query(() => [MachineStatusEvent], { nullable: 'itemsAndList', description: `Retained machine-status events by id, ${BY_IDS_DESCRIPTION}` })
  async machineStatusEventsByIds(@Arg('eventIds', () => [ID]) eventIds: string[], @Ctx() ctx: MesContext): Promise<(MachineStatusEvent | null)[]> {
    return eachEvent(eventIds, (eventId) => this.machineStatusEvent(eventId, ctx));
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
      return filteredEvents(
        context.events,
        'production',
        args.after,
        (event) =>
          (!types || types.has(event.type)) &&
          (!args.salesOrderId || event.salesOrderId === args.salesOrderId) &&
          (!owned || (event.salesOrderId !== null && event.salesOrderId !== undefined)),
        // A partner: only events of its own orders (the set is re-read, with a short cache, as orders are added).
        owned ? async (event) => (await owned()).has(event.salesOrderId!) : undefined,
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

  @Query(() => [ProductionEvent], { nullable: 'itemsAndList', description: `Retained production events by id, ${BY_IDS_DESCRIPTION}` })
  async productionEventsByIds(@Arg('eventIds', () => [ID]) eventIds: string[], @Ctx() ctx: MesContext): Promise<(ProductionEvent | null)[]> {
    return eachEvent(eventIds, (eventId) => this.productionEvent(eventId, ctx));
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
