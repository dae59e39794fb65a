import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Directive } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { primeAll, reprime } from '../loaders';
import { checkIdempotencyKey } from '../order-lines';
import { PurchaseOrder, PurchaseOrderConnection } from './purchase-order';
import { CreatePurchaseOrderInput, PurchaseOrderFilterInput } from './purchase-order.inputs';
import { validateNewPurchaseOrder } from './purchase-order.validation';
import { Supplier } from './supplier';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => PurchaseOrder)
export class PurchaseOrderResolver {
  @Query(() => PurchaseOrder, { nullable: true })
  async purchaseOrder(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<PurchaseOrder | null> {
    const record = await loaders.purchaseOrders.load(id);
    return record && PurchaseOrder.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type PurchaseOrder: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PROCUREMENT_READ))
  @Query(() => PurchaseOrderConnection)
  purchaseOrders(
    @Arg('filter', () => PurchaseOrderFilterInput, { nullable: true }) filter: PurchaseOrderFilterInput | null,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() { backend, loaders }: ErpContext,
  ): Promise<ConnectionShape<PurchaseOrder>> {
    return listConnection(
      pageArgs,
      (page) => backend.listPurchaseOrders(withoutNulls(filter), page),
      (records) => primeAll(loaders.purchaseOrders, records, (o) => o.id),
      PurchaseOrder.fromRecord,
    );
  }

  @FieldResolver(() => Supplier)
  async supplier(@Root() order: PurchaseOrder, @Ctx() { loaders }: ErpContext): Promise<Supplier> {
    const record = await loaders.suppliers.load(order.supplierId);
    if (!record) throw danglingReference(`purchase order ${order.id}`, `supplier ${order.supplierId}`);
    return Supplier.fromRecord(record);
  }

  @Directive(requiresScopes(Scope.PROCUREMENT_WRITE))
  @Mutation(() => PurchaseOrder, {
    description: 'Creates a DRAFT purchase order. unitPrice defaults to the standard cost.',
  })
  async createPurchaseOrder(
    @Arg('input', () => CreatePurchaseOrderInput) input: CreatePurchaseOrderInput,
    @Ctx() context: ErpContext,
  ): Promise<PurchaseOrder> {
    const idempotencyKey = checkIdempotencyKey(input.idempotencyKey);
    const order = await validateNewPurchaseOrder(input, context);
    const created = await context.backend.createPurchaseOrder(order, idempotencyKey);
    reprime(context.loaders.purchaseOrders, created.id, created);
    return PurchaseOrder.fromRecord(created);
  }
}
