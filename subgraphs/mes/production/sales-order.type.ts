import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Scope, requiresScopes } from '../../common/scopes';

/**
 * The ERP owns sales orders; MES adds production figures. `dueDate` is external: the gateway fetches it from the
 * ERP and passes it in the representation whenever `productionRisk` is selected.
 */
@Directive('@key(fields: "id")')
// No description: the ERP owns the type and its description (composition keeps one, so it would clash).
@Directive(requiresScopes(Scope.ORDERS_READ))
@ObjectType()
export class SalesOrder {
  @Field(() => ID) id!: string;

  @Directive('@external')
  @Field(() => Date)
  dueDate?: Date;

  static reference(id: string, dueDate?: Date): SalesOrder {
    return Object.assign(new SalesOrder(), { id, dueDate });
  }
}
