export * from './resource';
export * from './rules';
export * from './filterToKnex';
