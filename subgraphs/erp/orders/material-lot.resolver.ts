import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ErpContext } from '../context';
import { MaterialLot } from './material-lot';
import { Shipment } from './shipment';

@Resolver(() => MaterialLot)
export class MaterialLotResolver {
  @FieldResolver(() => [Shipment], { nullable: true, description: 'Shipments that carried any quantity of this lot, oldest first as the ERP lists them.' })
  async shipments(@Root() lot: MaterialLot, @Ctx() { loaders }: ErpContext): Promise<Shipment[]> {
    return (await loaders.shipmentsByLot.load(lot.lotNumber)).map(Shipment.fromRecord);
  }
}
