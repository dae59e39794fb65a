import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { withoutNulls, listConnection, PageArgs } from '../../common/connection';
import { primer, type MachineWindowKey } from '../loaders';
import { WorkOrder } from '../production/work-order.type';
import { mapOrNull } from '../records';
import { Machine, MachineConnection, MachineFilterInput } from './machine.type';
import { computeOee } from './oee';
import { Oee } from './oee.type';
import { MachineStateInterval } from './state-interval.type';
import { resolveWindow } from './time-window';
import { WindowArgs } from './window.args';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => Machine)
export class MachineResolver {
  @Query(() => Machine, { nullable: true })
  async machine(@Arg('id', () => ID) id: string, @Ctx() ctx: MesContext): Promise<Machine | null> {
    return mapOrNull(await ctx.loaders.machine.load(id), Machine.from);
  }

  // The connection's totalCount and pageInfo are not of type Machine: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PRODUCTION_READ))
  @Query(() => MachineConnection)
  machines(
    @Arg('filter', () => MachineFilterInput, { nullable: true }) filter: MachineFilterInput | null,
    @Args(() => PageArgs) paging: PageArgs,
    @Ctx() ctx: MesContext,
  ): Promise<MachineConnection> {
    return listConnection(
      paging,
      (page) => ctx.backend.listMachines(withoutNulls(filter), page),
      primer(ctx.loaders.machine, (record) => record.id),
      Machine.from,
    );
  }

  @FieldResolver(() => WorkOrder, { nullable: true })
  async currentWorkOrder(@Root() machine: Machine, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    if (machine.currentWorkOrderId === null) return null;
    return mapOrNull(await ctx.loaders.workOrder.load(machine.currentWorkOrderId), WorkOrder.from);
  }

  @FieldResolver(() => [WorkOrder], { description: 'Work orders with an operation on this machine.' })
  async workOrders(@Root() machine: Machine, @Ctx() ctx: MesContext): Promise<WorkOrder[]> {
    return (await ctx.loaders.workOrdersByMachine.load(machine.id)).map(WorkOrder.from);
  }

  @FieldResolver(() => Oee, { description: 'OEE over [from, to); the rules are in Oee field descriptions.' })
  async oee(
    @Root() machine: Machine,
    @Args(() => WindowArgs) { from, to }: WindowArgs,
    @Ctx() ctx: MesContext,
  ): Promise<Oee> {
    const window = resolveWindow(from, to, ctx.clock());
    const key = windowKey(machine.id, window);
    const [intervals, counts] = await Promise.all([
      ctx.loaders.stateHistory.load(key),
      ctx.loaders.productionCounts.load(key),
    ]);
    return Object.assign(new Oee(), computeOee({ window, idealCycleTimeSeconds: machine.idealCycleTime, intervals, counts }));
  }

  @FieldResolver(() => [MachineStateInterval], { description: 'State intervals overlapping the window, oldest first.' })
  async stateHistory(
    @Root() machine: Machine,
    @Args(() => WindowArgs) window: WindowArgs,
    @Ctx() ctx: MesContext,
  ): Promise<MachineStateInterval[]> {
    return this.intervals(machine, window, ctx);
  }

  @FieldResolver(() => [MachineStateInterval], {
    description: 'The stops among stateHistory: every interval the machine was not RUNNING, planned ones flagged.',
  })
  async downtimeEvents(
    @Root() machine: Machine,
    @Args(() => WindowArgs) window: WindowArgs,
    @Ctx() ctx: MesContext,
  ): Promise<MachineStateInterval[]> {
    return (await this.intervals(machine, window, ctx)).filter((interval) => interval.state !== 'RUNNING');
  }

  private async intervals(machine: Machine, args: WindowArgs, ctx: MesContext): Promise<MachineStateInterval[]> {
    const now = ctx.clock();
    const records = await ctx.loaders.stateHistory.load(windowKey(machine.id, resolveWindow(args.from, args.to, now)));
    return records.map((record) => MachineStateInterval.from(record, now));
  }
}

function windowKey(machineId: string, window: { from: Date; to: Date }): MachineWindowKey {
  return { machineId, from: window.from.toISOString(), to: window.to.toISOString() };
}
