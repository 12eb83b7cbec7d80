export { default } from './plugin';
export { dualLaneApi } from './apis';
export { dualLanePage } from './pages';
export {
  entityGatesContent,
  entitySupplyChainContent,
  entityComplianceCard,
  dualLaneEntityFilter,
} from './entityContents';
