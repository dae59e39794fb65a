import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Directive } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { primeAll } from '../loaders';
import { SalesOrder } from '../orders/sales-order';
import { Invoice, InvoiceConnection } from './invoice';
import { InvoiceFilterInput } from './invoice.inputs';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => Invoice, { nullable: true })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<Invoice | null> {
    const record = await loaders.invoices.load(id);
    return record && Invoice.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type Invoice: the list field itself is protected too.
  @Directive(requiresScopes(Scope.FINANCE_READ))
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
