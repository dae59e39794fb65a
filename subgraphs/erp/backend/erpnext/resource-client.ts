import { backendUnavailable } from './errors';
import type { Doc } from './doctypes';
import { ErpNextHttp, HttpStatusError } from './http-client';

/** A Frappe filter: `[field, operator, value]`. */
export type Filter = readonly [string, string, unknown];

export interface ListQuery {
  fields: readonly string[];
  filters?: readonly Filter[];
  /** Always given: Frappe's default (`modified desc`) would make pages shift under writes. */
  orderBy: string;
  /** For child doctypes (`Sales Order Item`), the parent doctype Frappe requires to allow the read. */
  parent?: string;
}

/**
 * Page size when a read must see every matching row. Large, because every page is an HTTP call: one page
 * answers the lines of ~1,000 orders, so batched reads stay one call per doctype at any realistic batch size.
 */
export const PAGE_SIZE = 5000;

/**
 * Keys per `in` filter. Above this a batch is split into several calls: a GET URL carries the keys, and 1,000
 * quoted names (~26 KB) is about what a server accepts in a request line (ERPNext behind nginx needs
 * `large_client_header_buffers 4 32k`; Node's default header limit, 16 KB, must be raised the same way).
 */
export const IN_CHUNK = 1000;

/** ERPNext's REST resources: `/api/resource/<DocType>` reads and writes, and `frappe.client.get_count`. */
export class ResourceClient {
  constructor(private readonly http: ErpNextHttp) {}

  /** One page (one HTTP call). */
  async page(doctype: string, query: ListQuery, start: number, length: number): Promise<Doc[]> {
    const response = await this.http.get<{ data?: Doc[] }>(
      resourcePath(doctype),
      {
        fields: JSON.stringify(query.fields),
        filters: query.filters && query.filters.length > 0 ? JSON.stringify(query.filters) : undefined,
        order_by: query.orderBy,
        limit_start: start,
        limit_page_length: length,
        parent: query.parent,
      },
      `list ${doctype}`,
    );
    if (!Array.isArray(response.data)) throw backendUnavailable(`list ${doctype} answered without a data list`);
    return response.data;
  }

  /** Every matching row, page after page until a short page. */
  async all(doctype: string, query: ListQuery): Promise<Doc[]> {
    const rows: Doc[] = [];
    for (let start = 0; ; start += PAGE_SIZE) {
      const page = await this.page(doctype, query, start, PAGE_SIZE);
      rows.push(...page);
      if (page.length < PAGE_SIZE) return rows;
    }
  }

  /** Rows whose `field` is one of `values`: one call per IN_CHUNK distinct values, none for an empty batch. */
  async whereIn(doctype: string, field: string, values: readonly string[], query: ListQuery): Promise<Doc[]> {
    const distinct = [...new Set(values)];
    const rows: Doc[] = [];
    for (let i = 0; i < distinct.length; i += IN_CHUNK) {
      const chunk = distinct.slice(i, i + IN_CHUNK);
      rows.push(...(await this.all(doctype, { ...query, filters: [...(query.filters ?? []), [field, 'in', chunk]] })));
    }
    return rows;
  }

  async count(doctype: string, filters: readonly Filter[]): Promise<number> {
    const response = await this.http.get<{ message?: unknown }>(
      '/api/method/frappe.client.get_count',
      { doctype, filters: JSON.stringify(filters) },
      `count ${doctype}`,
    );
    const count = Number(response.message);
    if (!Number.isInteger(count)) throw backendUnavailable(`count ${doctype} answered without a number`);
    return count;
  }

  async insert(doctype: string, doc: Doc): Promise<Doc> {
    return (await this.http.send<{ data: Doc }>('POST', resourcePath(doctype), doc, `create ${doctype}`)).data;
  }

  /** An update; the caller decides what a refused one (417, e.g. a TimestampMismatchError) means. */
  update(doctype: string, name: string, changes: Doc): Promise<{ data: Doc } | HttpStatusError> {
    return this.http.raw<{ data: Doc }>('PUT', `${resourcePath(doctype)}/${encodeURIComponent(name)}`, changes, `update ${doctype} ${name}`, (s) => s === 417 || s === 404);
  }
}

/** DocType names contain spaces: encoded as a path segment. */
export const resourcePath = (doctype: string) => `/api/resource/${encodeURIComponent(doctype)}`;
