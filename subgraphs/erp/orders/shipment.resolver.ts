import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { SalesOrder } from './sales-order';
import { Shipment } from './shipment';

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Query(() => Shipment, { nullable: true })
  async shipment(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<Shipment | null> {
    const record = await loaders.shipments.load(id);
    return record && Shipment.fromRecord(record);
  }

  @FieldResolver(() => SalesOrder)
  async salesOrder(@Root() shipment: Shipment, @Ctx() { loaders }: ErpContext): Promise<SalesOrder> {
    const record = await loaders.salesOrders.load(shipment.salesOrderId);
    if (!record) throw danglingReference(`shipment ${shipment.id}`, `sales order ${shipment.salesOrderId}`);
    return SalesOrder.fromRecord(record);
  }
}
