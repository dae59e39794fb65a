import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { primeAll } from '../loaders';
import { SalesOrder } from '../orders/sales-order';
import { Invoice, InvoiceConnection } from './invoice';
import { InvoiceFilterInput } from './invoice.inputs';

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => Invoice, { nullable: true })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<Invoice | null> {
    const record = await loaders.invoices.load(id);
    return record && Invoice.fromRecord(record);
  }

  @Query(() => InvoiceConnection)
  invoices(
    @Arg('filter', () => InvoiceFilterInput, { nullable: true }) filter: InvoiceFilterInput | null,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() { backend, loaders }: ErpContext,
  ): Promise<ConnectionShape<Invoice>> {
    return listConnection(
      pageArgs,
      (page) => backend.listInvoices(withoutNulls(filter), page),
      (records) => primeAll(loaders.invoices, records, (i) => i.id),
      Invoice.fromRecord,
    );
  }

  @FieldResolver(() => SalesOrder)
  async salesOrder(@Root() invoice: Invoice, @Ctx() { loaders }: ErpContext): Promise<SalesOrder> {
    const record = await loaders.salesOrders.load(invoice.salesOrderId);
    if (!record) throw danglingReference(`invoice ${invoice.id}`, `sales order ${invoice.salesOrderId}`);
    return SalesOrder.fromRecord(record);
  }
}
