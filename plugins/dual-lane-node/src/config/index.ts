export * from './requiredChecks';
export * from './laneLabels';
