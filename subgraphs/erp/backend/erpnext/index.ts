/** The ERPNext REST adapter: `ERP_BACKEND=rest` in subgraphs/erp/main.ts. */
export { ErpNextRestBackend } from './erpnext-backend';
export type { ErpNextConnectionOptions } from './http-client';
export { BACKEND } from './errors';
