import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MesContext } from '../context';
import { Machine } from '../equipment/machine.type';
import { mapOrNull } from '../records';
import { Operation } from './operation.type';

@Resolver(() => Operation)
export class OperationResolver {
  @FieldResolver(() => Machine, { nullable: true, description: 'Null only if the machine was removed from the MES.' })
  async machine(@Root() operation: Operation, @Ctx() ctx: MesContext): Promise<Machine | null> {
    return mapOrNull(await ctx.loaders.machine.load(operation.machineId), Machine.from);
  }
}
