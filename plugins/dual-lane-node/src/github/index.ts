export * from './createGithubOctokit';
