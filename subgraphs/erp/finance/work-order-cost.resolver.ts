import { GraphQLError } from 'graphql';
import { Ctx, Directive, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { ErrorCode } from '../../../schema/error-codes';
import type { ProductRecord } from '../backend/erp-backend';
import type { ErpContext } from '../context';
import { roundToCents } from '../money';
import { WorkOrder } from './work-order';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => WorkOrder)
export class WorkOrderCostResolver {
  @FieldResolver(() => Float, {
    nullable: true,
    description: 'quantityPlanned × the product standardCost, in costCurrency; null when ERP does not know the product.',
  })
  @Directive('@requires(fields: "product { sku } quantityPlanned")')
  @Directive(requiresScopes(Scope.FINANCE_READ, Scope.ORDERS_READ, Scope.PRODUCTION_READ))
  async plannedCost(@Root() workOrder: WorkOrder, @Ctx() { loaders }: ErpContext): Promise<number | null> {
    const quantity = requiredQuantity(workOrder, 'quantityPlanned');
    const product = await productOf(workOrder, loaders);
    return product && roundToCents(quantity * product.standardCost);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      '(quantityGood + quantityScrap) × the product standardCost, in costCurrency: scrap consumed material and time too.',
  })
  @Directive('@requires(fields: "product { sku } quantityGood quantityScrap")')
  @Directive(requiresScopes(Scope.FINANCE_READ, Scope.ORDERS_READ, Scope.PRODUCTION_READ))
  async actualCost(@Root() workOrder: WorkOrder, @Ctx() { loaders }: ErpContext): Promise<number | null> {
    const quantity = requiredQuantity(workOrder, 'quantityGood') + requiredQuantity(workOrder, 'quantityScrap');
    const product = await productOf(workOrder, loaders);
    return product && roundToCents(quantity * product.standardCost);
  }

  // @requires reads WorkOrder.product (orders:read): composition wants the transitive requirement spelled out.
  @FieldResolver(() => String, { nullable: true, description: 'ISO 4217 code of plannedCost and actualCost.' })
  @Directive('@requires(fields: "product { sku }")')
  @Directive(requiresScopes(Scope.ORDERS_READ, Scope.PRODUCTION_READ))
  async costCurrency(@Root() workOrder: WorkOrder, @Ctx() { loaders }: ErpContext): Promise<string | null> {
    return (await productOf(workOrder, loaders))?.currency ?? null;
  }
}

async function productOf(workOrder: WorkOrder, loaders: ErpContext['loaders']): Promise<ProductRecord | null> {
  const sku = workOrder.product?.sku;
  return sku ? loaders.products.load(sku) : null;
}

/** The gateway always sends @requires fields; their absence means a caller bypassed the query planner. */
function requiredQuantity(workOrder: WorkOrder, field: 'quantityPlanned' | 'quantityGood' | 'quantityScrap'): number {
  const value = workOrder[field];
  if (typeof value !== 'number') {
    throw new GraphQLError(`WorkOrder ${workOrder.id} representation lacks ${field}, which this field @requires`, {
      extensions: { code: ErrorCode.BAD_REQUEST },
    });
  }
  return value;
}
