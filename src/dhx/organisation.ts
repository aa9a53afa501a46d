/** Organisation codes are compared in src/xroad/organisation.ts (below cases and dhx, which both compare them). */
export { organisationKey, sameOrganisation } from '../xroad/organisation';
