export { dualLanePlugin as default } from './plugin';
