import { Directive, Field, ObjectType } from 'type-graphql';
import { Scope, requiresScopes } from '../../common/scopes';

/**
 * A lot of material, owned by the MES. ERP knows only its number (printed on delivery notes) and adds the
 * shipments that carried it: the ERP half of a recall.
 */
@ObjectType({ description: 'A material lot (owned by the MES); ERP adds the shipments that carried it.', simpleResolvers: true })
@Directive('@key(fields: "lotNumber")')
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class MaterialLot {
  @Field(() => String)
  lotNumber!: string;

  static of(lotNumber: string): MaterialLot {
    return Object.assign(new MaterialLot(), { lotNumber });
  }
}
