export { CompliancePageContent } from './CompliancePageContent';
export { DualLanePage } from './DualLanePage';
