/** Where intake's vocabulary lives: categories with cases (src/cases/categories.ts), states with the inbound rows (src/inbound/states.ts). */
export * from '../cases/categories';
export * from '../inbound/states';
