import { INVOICE_STATUSES } from '../backend/erp-backend';
import { graphqlEnum } from '../../common/graphql-enum';

export const InvoiceStatusEnum = graphqlEnum(
  INVOICE_STATUSES,
  'InvoiceStatus',
  'DRAFT until issued, then UNPAID, PAID or OVERDUE; or CANCELLED.',
);
