export * from './requiredChecks';
export * from './laneLabels';
export * from './laneConventions';
