import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Scope, requiresScopes } from '../../common/scopes';
import type { WorkOrderRecord } from '../backend/mes-backend';

/**
 * The ERP owns sales orders; MES adds production figures. `dueDate` is external: the gateway fetches it from the
 * ERP and passes it in the representation whenever `productionRisk` is selected.
 */
@Directive('@key(fields: "id")')
// No description: the ERP owns the type and its description (composition keeps one, so it would clash).
@Directive(requiresScopes(Scope.ORDERS_READ))
@ObjectType({ simpleResolvers: true })
export class SalesOrder {
  @Field(() => ID) id!: string;

  @Directive('@external')
  @Field(() => Date)
  dueDate?: Date;

  /**
   * Its work orders when they were read with the reference (an `_entities` batch reads them all in one loader
   * call): its MES fields then derive from them without a read of their own. Absent: the fields read them.
   */
  workOrderRecords?: readonly WorkOrderRecord[];

  static reference(id: string, dueDate?: Date, workOrderRecords?: readonly WorkOrderRecord[]): SalesOrder {
    const order = new SalesOrder();
    order.id = id;
    order.dueDate = dueDate;
    order.workOrderRecords = workOrderRecords;
    return order;
  }
}
