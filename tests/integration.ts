/**
 * The slow tests that train, package or measure models, build installers, or drive
 * real processes and servers for minutes (recipes, model regressions, packaging,
 * the kill-during-save loop, the Redis queue): `npm run test:integration`, which
 * `npm test` runs after the quick unit tests. One list for both configurations.
 */
export const INTEGRATION_TESTS = [
  'tests/unit/htr-recipe.test.ts',
  'tests/unit/layout-recipe.test.ts',
  'tests/unit/layout-recipe-prepare.test.ts',
  'tests/unit/htr-default-regression.test.ts',
  'tests/unit/layout-default-regression.test.ts',
  'tests/unit/train-cli.test.ts',
  'tests/unit/packaging.test.ts',
  'tests/unit/kill-during-save.test.ts',
  'tests/unit/queue.test.ts',
  // Hundreds of mutated corpus files judged twice, once by libxml2 (about a minute).
  'tests/unit/xsd-stream.test.ts',
];
