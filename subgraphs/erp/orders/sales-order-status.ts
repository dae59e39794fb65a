import { SALES_ORDER_STATUSES } from '../backend/erp-backend';
import { graphqlEnum } from '../../common/graphql-enum';

export const SalesOrderStatusEnum = graphqlEnum(
  SALES_ORDER_STATUSES,
  'SalesOrderStatus',
  'Life of a sales order: DRAFT until confirmed, then CONFIRMED, IN_PRODUCTION, SHIPPED, INVOICED and CLOSED; or CANCELLED.',
);
