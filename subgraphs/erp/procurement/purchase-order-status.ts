import { PURCHASE_ORDER_STATUSES } from '../backend/erp-backend';
import { graphqlEnum } from '../../common/graphql-enum';

export const PurchaseOrderStatusEnum = graphqlEnum(
  PURCHASE_ORDER_STATUSES,
  'PurchaseOrderStatus',
  'DRAFT until submitted to the supplier, then SUBMITTED and RECEIVED; or CANCELLED.',
);
