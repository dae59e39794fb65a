import { Directive, Field, ObjectType } from 'type-graphql';
import { Scope, requiresScopes } from '../../common/scopes';

/** The ERP owns products; MES only knows the key and adds shop-floor figures (ProductResolver). */
@Directive('@key(fields: "sku")')
// No description: the ERP owns the type and its description (composition keeps one, so it would clash).
@Directive(requiresScopes(Scope.ORDERS_READ))
@ObjectType({ simpleResolvers: true })
export class Product {
  @Field(() => String) sku!: string;

  static reference(sku: string): Product {
    return Object.assign(new Product(), { sku });
  }
}
