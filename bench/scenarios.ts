import { generateWorld } from '../mocks/dataset';
import { loadOperation } from '../schema/operations';

export interface Request {
  query: string;
  variables: Record<string, unknown>;
}

/** One reference operation (DESIGN §4), and its single-subgraph share sent straight to the owning subgraph. */
export interface Scenario {
  name: 'portal' | 'bi' | 'recall';
  gateway: Request;
  direct: { subgraph: 'erp' | 'mes'; request: Request };
}

const PORTAL_ERP_SHARE = `query($id: ID!) { salesOrder(id: $id) {
  id number erpReference status orderedAt dueDate currency total customer { id name country }
  lines { lineNo quantity unitPrice amount product { sku name unitOfMeasure } } } }`;

const BI_ERP_SHARE = `query($first: Int!) { salesOrders(first: $first) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id number status dueDate currency total customer { id name } } } }`;

const RECALL_MES_SHARE = `query($lotNumber: String!) { materialLot(lotNumber: $lotNumber) {
  lotNumber consumedBy { id number producedLots { lotNumber quantity } } } }`;

/** Picks the operations' arguments from the dataset the subgraphs serve, so every request hits real data. */
export function scenarios(seed: number, scale: number): Scenario[] {
  const world = generateWorld({ seed, scale });
  const order = world.erp.salesOrders.find((o) => o.status === 'IN_PRODUCTION') ?? world.erp.salesOrders[0]!;
  const lot = [...world.mes.lots]
    .filter((l) => l.producedByWorkOrderId === null)
    .sort((a, b) => b.consumedByWorkOrderIds.length - a.consumedByWorkOrderIds.length)[0]!;
  const first = Math.min(500, scale);
  return [
    {
      name: 'portal',
      gateway: { query: loadOperation('portal'), variables: { id: order.id } },
      direct: { subgraph: 'erp', request: { query: PORTAL_ERP_SHARE, variables: { id: order.id } } },
    },
    {
      name: 'bi',
      gateway: { query: loadOperation('bi'), variables: { first } },
      direct: { subgraph: 'erp', request: { query: BI_ERP_SHARE, variables: { first } } },
    },
    {
      name: 'recall',
      gateway: { query: loadOperation('recall'), variables: { lotNumber: lot.lotNumber } },
      direct: { subgraph: 'mes', request: { query: RECALL_MES_SHARE, variables: { lotNumber: lot.lotNumber } } },
    },
  ];
}
