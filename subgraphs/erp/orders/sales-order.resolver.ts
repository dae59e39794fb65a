import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Directive } from 'type-graphql';
import { type ConnectionShape, listConnection, PageArgs } from '../../common/connection';
import { badUserInput, notFound } from '../../common/errors';
import { selectsPath } from '../../common/selection';
import type { CustomerRecord, SalesOrderRecord } from '../backend/erp-backend';
import type { ErpContext } from '../context';
import { Invoice } from '../finance/invoice';
import { type ErpLoaders, primeAll, reprime } from '../loaders';
import { danglingReference } from '../integrity';
import { checkIdempotencyKey } from '../order-lines';
import { Customer } from './customer';
import { SalesOrder, SalesOrderConnection } from './sales-order';
import { CreateSalesOrderInput, SalesOrderFilterInput, toSalesOrderFilter } from './sales-order.inputs';
import { validateNewSalesOrder } from './sales-order.validation';
import { Shipment } from './shipment';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => SalesOrder)
export class SalesOrderResolver {
  @Query(() => SalesOrder, { nullable: true })
  async salesOrder(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<SalesOrder | null> {
    const record = await loaders.salesOrders.load(id);
    return record && SalesOrder.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type SalesOrder: the list field itself is protected too.
  @Directive(requiresScopes(Scope.ORDERS_READ))
  @Query(() => SalesOrderConnection, { description: 'Ordered by orderedAt, then id.' })
  async salesOrders(
    @Arg('filter', () => SalesOrderFilterInput, { nullable: true }) filter: SalesOrderFilterInput | null,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() { backend, loaders }: ErpContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionShape<SalesOrder>> {
    const connection = await listConnection(
      pageArgs,
      (page) => backend.listSalesOrders(toSalesOrderFilter(filter), page),
      (records) => primeAll(loaders.salesOrders, records, (o) => o.id),
      SalesOrder.fromRecord,
    );
    if (CUSTOMER_PATHS.some((path) => selectsPath(info, path))) await readCustomersAhead(connection.nodes, loaders);
    return connection;
  }

  @FieldResolver(() => Customer)
  customer(@Root() order: SalesOrder, @Ctx() { loaders }: ErpContext): Customer | Promise<Customer> {
    if (order.customerRecord !== undefined) return customerOf(order, order.customerRecord);
    return loaders.customers.load(order.customerId).then((record) => customerOf(order, record));
  }

  @FieldResolver(() => [Invoice])
  async invoices(@Root() order: SalesOrder, @Ctx() { loaders }: ErpContext): Promise<Invoice[]> {
    return (await loaders.invoicesBySalesOrder.load(order.id)).map(Invoice.fromRecord);
  }

  @FieldResolver(() => [Shipment])
  async shipments(@Root() order: SalesOrder, @Ctx() { loaders }: ErpContext): Promise<Shipment[]> {
    return (await loaders.shipmentsBySalesOrder.load(order.id)).map(Shipment.fromRecord);
  }

  @Directive(requiresScopes(Scope.ORDERS_WRITE))
  @Mutation(() => SalesOrder, {
    description: 'Creates a DRAFT order. unitPrice defaults to the list price, currency to the customer\'s.',
  })
  async createSalesOrder(
    @Arg('input', () => CreateSalesOrderInput) input: CreateSalesOrderInput,
    @Ctx() context: ErpContext,
  ): Promise<SalesOrder> {
    const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
    const order = await validateNewSalesOrder(input, context);
    const created = await context.backend.createSalesOrder(order, idempotencyKey);
    reprime(context.loaders.salesOrders, created.id, created);
    return SalesOrder.fromRecord(created);
  }

  @Directive(requiresScopes(Scope.ORDERS_WRITE))
  @Mutation(() => SalesOrder, { description: 'DRAFT → CONFIRMED; any other current status is refused.' })
  async confirmSalesOrder(@Arg('id', () => ID) id: string, @Ctx() { backend, loaders }: ErpContext): Promise<SalesOrder> {
    const current = await loaders.salesOrders.load(id);
    if (!current) throw notFound('sales order', id);
    if (current.status !== 'DRAFT') throw notConfirmable(current);

    const confirmed = await backend.transitionSalesOrder(id, 'DRAFT', 'CONFIRMED');
    if (!confirmed) {
      // A concurrent change won the compare-and-set: report the status it left behind.
      loaders.salesOrders.clear(id);
      const now = await loaders.salesOrders.load(id);
      throw now ? notConfirmable(now) : notFound('sales order', id);
    }
    reprime(loaders.salesOrders, id, confirmed);
    return SalesOrder.fromRecord(confirmed);
  }
}

/** Where a page's orders select their customer. */
const CUSTOMER_PATHS = [['nodes', 'customer'], ['edges', 'node', 'customer']] as const;

/**
 * One loader call for the page's customers before its fields run: each order's `customer` then resolves
 * synchronously, instead of 500 promises (and 500 promise-valued rows graphql-js must wait on one by one).
 * A key that failed is left for `customer` to load again, so its error lands on that field as before.
 */
async function readCustomersAhead(orders: readonly SalesOrder[], loaders: ErpLoaders): Promise<void> {
  const ids = [...new Set(orders.map((order) => order.customerId))];
  const results = await loaders.customers.loadMany(ids);
  const byId = new Map<string, CustomerRecord | null>();
  results.forEach((result, index) => {
    if (!(result instanceof Error)) byId.set(ids[index]!, result);
  });
  for (const order of orders) order.customerRecord = byId.get(order.customerId);
}

function customerOf(order: SalesOrder, record: CustomerRecord | null): Customer {
  if (!record) throw danglingReference(`sales order ${order.id}`, `customer ${order.customerId}`);
  return Customer.fromRecord(record);
}

function notConfirmable(order: SalesOrderRecord): GraphQLError {
  return badUserInput(`sales order ${order.number} is ${order.status}; only a DRAFT order can be confirmed`, 'id');
}
