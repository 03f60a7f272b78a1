/**
 * A schema construct the built-in validator does not read (class subtraction, a
 * complex-type restriction, `xs:all`, identity constraints…): the caller leaves such
 * a schema to libxml2 instead of judging files against a part of it.
 */
export class UnsupportedSchema extends Error {
  override name = 'UnsupportedSchema';
}
