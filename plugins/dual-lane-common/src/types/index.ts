export * from './health';
export * from './pagination';
