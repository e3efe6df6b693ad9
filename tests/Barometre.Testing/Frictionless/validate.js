// Validates a Frictionless Data Package descriptor against the vendored v1 JSON Schemas (see SOURCES.md):
// node validate.js SCHEMA_DIR DATAPACKAGE_JSON — prints "valid", or each error and exits with 1.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [schemas, descriptorPath] = process.argv.slice(2);
// strict: false — the specs' schemas carry their own annotation keywords (propertyOrder, context).
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
// A user-interface hint of the specs' schemas, not a constraint.
ajv.addFormat('textarea', true);
const validators = {};
const errors = [];
function check(schema, value, where) {
  validators[schema] ??= ajv.compile(JSON.parse(fs.readFileSync(path.join(schemas, schema), 'utf8')));
  const validate = validators[schema];
  if (!validate(value)) {
    for (const e of validate.errors) {
      errors.push(`${where}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
    }
  }
}

const descriptor = JSON.parse(fs.readFileSync(descriptorPath, 'utf8'));
check('data-package.json', descriptor, 'datapackage');
(descriptor.resources || []).forEach((resource, i) => {
  const where = `resources[${i}] (${resource.name})`;
  check('data-resource.json', resource, where);
  check('table-schema.json', resource.schema, `${where}.schema`);
  check('table-dialect.json', resource.dialect, `${where}.dialect`);
});
if (errors.length > 0) {
  console.log(errors.join('\n'));
  process.exit(1);
}
console.log('valid');
