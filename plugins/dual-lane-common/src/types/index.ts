export * from './domain';
export * from './health';
export * from './pagination';
