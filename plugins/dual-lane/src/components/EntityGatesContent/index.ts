export { EntityGatesContent } from './EntityGatesContent';
