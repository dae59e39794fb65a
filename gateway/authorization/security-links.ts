/**
 * @apollo/gateway refuses a supergraph linking a feature `for: SECURITY` (or EXECUTION) that it does not
 * implement (UNSUPPORTED_LINKED_FEATURE), and it implements neither @authenticated nor @requiresScopes. forge
 * enforces them itself (plugins/field-authorization.ts, reading the directives from the same SDL), so the
 * gateway is handed the supergraph with the purpose of those two links dropped: the directives stay in the
 * SDL, the planner treats them as plain metadata. Any other purposeful link is left as is, so an unknown
 * security feature still stops the gateway instead of being silently ignored.
 */
const ENFORCED_BY_FORGE = ['https://specs.apollo.dev/authenticated/', 'https://specs.apollo.dev/requiresScopes/'];

const LINK = /@link\(([^)]*)\)/g;

export function withForgeEnforcedLinks(supergraphSdl: string): string {
  return supergraphSdl.replace(LINK, (whole: string, args: string) => {
    const url = /url:\s*"([^"]*)"/.exec(args)?.[1];
    if (!url || !ENFORCED_BY_FORGE.some((spec) => url.startsWith(spec))) return whole;
    return `@link(${args.replace(/,?\s*for:\s*(SECURITY|EXECUTION)\b/, '')})`;
  });
}
