// Validates rendered Kubernetes manifests offline: every object against the schema of its kind. Built-in kinds use
// the Kubernetes OpenAPI schemas that kubernetes-models ships; custom resources the openAPIV3Schema of their vendored
// CRD, closed like the API server's pruning: a field a schema does not name is an error, as a typo would be.
// Usage: node .ci/validate-k8s.mjs RENDERED.yaml [CRD.yaml ...]
import { readFileSync } from "node:fs";
import { parse, parseAllDocuments } from "yaml";
import Ajv from "ajv";

const [rendered, ...crdFiles] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(rendered, "utf8")).map((d) => d.toJS()).filter(Boolean);

function closed(schema) {
  if (schema === null || typeof schema !== "object") return schema;
  for (const value of Object.values(schema)) closed(value);
  if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"])
    schema.additionalProperties = false;
  return schema;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const customKinds = new Map();
for (const file of crdFiles) {
  const crd = parse(readFileSync(file, "utf8"));
  for (const version of crd.spec.versions)
    customKinds.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(closed(version.schema.openAPIV3Schema)));
}

async function problems(object) {
  const custom = customKinds.get(`${object.apiVersion} ${object.kind}`);
  if (custom) return custom(object) ? null : ajv.errorsText(custom.errors, { separator: "; " });
  let model;
  try {
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    return "no schema for this kind (add its CRD to the command line)";
  }
  try {
    new model(object).validate();
    return null;
  } catch (e) {
    return e.message;
  }
}

let invalid = 0;
for (const object of objects) {
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`;
  const found = await problems(object);
  if (found) invalid++;
  console.log(found ? `INVALID ${name}: ${found}` : `valid   ${name}`);
}
if (objects.length === 0) console.log("INVALID: nothing was rendered");
console.log(`${objects.length} objects, ${invalid} invalid`);
process.exit(objects.length === 0 || invalid > 0 ? 1 : 0);
