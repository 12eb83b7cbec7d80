export { createGetEntityComplianceAction } from './createGetEntityComplianceAction';
export { createListFailingGatesAction } from './createListFailingGatesAction';
export { createRecordPlanVerdictAction } from './createRecordPlanVerdictAction';
