import { Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import type { MesContext } from '../context';
import { totalsYield } from './production-progress';
import { Product } from './product.type';
import { WorkOrder } from './work-order.type';

/** What MES adds to the ERP's products. A sku MES has never made has no work orders and a null yield. */
@Resolver(() => Product)
export class ProductResolver {
  @FieldResolver(() => [WorkOrder], { nullable: true })
  async workOrders(@Root() product: Product, @Ctx() ctx: MesContext): Promise<WorkOrder[]> {
    return (await ctx.loaders.workOrdersByProduct.load(product.sku)).map(WorkOrder.from);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Quantity still to make on work orders neither completed nor cancelled.' })
  async workInProgress(@Root() product: Product, @Ctx() ctx: MesContext): Promise<number> {
    return (await ctx.loaders.productTotals.load(product.sku)).workInProgress;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Good / (good + scrap) over all its work orders; null before any output.' })
  async qualityYield(@Root() product: Product, @Ctx() ctx: MesContext): Promise<number | null> {
    return totalsYield(await ctx.loaders.productTotals.load(product.sku));
  }
}
