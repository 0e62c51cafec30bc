// fhir_checks.mjs: a small hand-written Bundle shaped like BackChat's export
// passes all three validators, and each defect, applied to a fresh copy,
// is reported by the validators named for it, at its JSON path.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFhir } from "./fhir_checks.mjs";

const TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
const OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive";
const SYSTEM = "urn:backchat:dialog:back_pain";

function spanish(text) {
  return { extension: [{ url: TRANSLATION, extension: [{ url: "lang", valueCode: "es" }, { url: "content", valueString: text }] }] };
}

function option(question, code, display, es) {
  return { valueCoding: { system: `${SYSTEM}:${question}`, code, display, _display: spanish(es) } };
}

/** A Questionnaire (English, with Spanish options) and a Spanish response to it. */
function validBundle() {
  const none = option("warning_signs", "none", "None of these", "Ninguno de estos");
  none.extension = [{ url: OPTION_EXCLUSIVE, valueBoolean: true }];
  return {
    resourceType: "Bundle",
    type: "collection",
    entry: [
      {
        fullUrl: "urn:uuid:9a2f1c3e-5b7d-5e21-8f3a-0c4d6e8f1a2b",
        resource: {
          resourceType: "Questionnaire",
          id: "back-pain-0123456789abcdef",
          url: "urn:backchat:dialog:back_pain",
          version: "0123456789abcdef",
          name: "BackPain",
          title: "Back pain check",
          status: "active",
          language: "en",
          item: [
            {
              linkId: "warning_signs",
              text: "Do you have any of these right now?",
              type: "choice",
              repeats: true,
              answerOption: [option("warning_signs", "both_legs", "Numbness in both legs", "Entumecimiento en ambas piernas"), none],
            },
            {
              linkId: "injury",
              text: "Did the pain start after an accident or injury?",
              type: "choice",
              enableWhen: [{ question: "warning_signs", operator: "=", answerCoding: { system: `${SYSTEM}:warning_signs`, code: "none" } }],
              answerOption: [option("injury", "yes", "Yes", "Sí"), option("injury", "no", "No", "No")],
            },
          ],
        },
      },
      {
        fullUrl: "urn:uuid:3f0c6a52-1d8e-4b7a-9c21-5e6f7a8b9c0d",
        resource: {
          resourceType: "QuestionnaireResponse",
          id: "3f0c6a521d8e4b7a9c215e6f7a8b9c0d",
          questionnaire: "urn:backchat:dialog:back_pain|0123456789abcdef",
          status: "completed",
          authored: "2026-01-02T03:04:05.000+00:00",
          language: "es",
          item: [
            { linkId: "warning_signs", answer: [{ valueCoding: { system: `${SYSTEM}:warning_signs`, code: "none", display: "Ninguno de estos" } }] },
            { linkId: "injury", answer: [{ valueCoding: { system: `${SYSTEM}:injury`, code: "yes", display: "Sí" } }] },
          ],
        },
      },
    ],
  };
}

const questionnaire = (bundle) => bundle.entry[0].resource;
const response = (bundle) => bundle.entry[1].resource;
const Q = "/entry/0/resource";
const R = "/entry/1/resource";

test("the valid Bundle passes fhir.js, HL7's schema and BackChat's rules", () => {
  assert.deepEqual(checkFhir(validBundle()), []);
});

test("a response with a contained Questionnaire (#ID) passes on its own", () => {
  const bundle = validBundle();
  const contained = { ...questionnaire(bundle), id: "q" };
  const standalone = { ...response(bundle), contained: [contained], questionnaire: "#q" };
  assert.deepEqual(checkFhir(standalone), []);
});

test("an English response uses the Questionnaire's own displays", () => {
  const bundle = validBundle();
  response(bundle).language = "en-GB";
  response(bundle).item[0].answer[0].valueCoding.display = "None of these";
  response(bundle).item[1].answer[0].valueCoding.display = "Yes";
  assert.deepEqual(checkFhir(bundle), []);
});

// name, the validators that must report it, the JSON path they must name,
// and the defect.
const defects = [
  // FHIR.js 4.12 misses this one: its primitive formats are unanchored
  // regular expressions, so any id with one allowed character passes.
  ["an id with _", ["hl7-schema", "backchat"], `${Q}/id`, (b) => (questionnaire(b).id = "back_pain-0123456789abcdef")],
  ["an empty entry array", ["backchat"], "/entry", (b) => (b.entry = [])],
  ["an empty string", ["hl7-schema", "backchat"], `${Q}/title`, (b) => (questionnaire(b).title = "")],
  ["a null", ["hl7-schema", "backchat"], `${Q}/title`, (b) => (questionnaire(b).title = null)],
  ["an empty object", ["backchat"], `${Q}/item/1/answerOption/1/valueCoding/_display`, (b) => (questionnaire(b).item[1].answerOption[1].valueCoding._display = {})],
  ["a Questionnaire name that is not que-0's", ["backchat"], `${Q}/name`, (b) => (questionnaire(b).name = "back_pain")],
  ["a fullUrl that is not urn:uuid:", ["backchat"], "/entry/0/fullUrl", (b) => (b.entry[0].fullUrl = "urn:backchat:x")],
  ["a version 1 UUID", ["backchat"], "/entry/1/fullUrl", (b) => (b.entry[1].fullUrl = "urn:uuid:3f0c6a52-1d8e-11ef-9c21-5e6f7a8b9c0d")],
  ["an upper-case UUID", ["backchat"], "/entry/1/fullUrl", (b) => (b.entry[1].fullUrl = "urn:uuid:3F0C6A52-1D8E-4B7A-9C21-5E6F7A8B9C0D")],
  ["two entries with one fullUrl", ["backchat"], "/entry/1/fullUrl", (b) => (b.entry[1].fullUrl = b.entry[0].fullUrl)],
  ["a response citing a version not in the Bundle", ["backchat"], `${R}/questionnaire`, (b) => (response(b).questionnaire = `${SYSTEM}|fedcba9876543210`)],
  ["a response citing no version", ["backchat"], `${R}/questionnaire`, (b) => (response(b).questionnaire = SYSTEM)],
  ["a response citing a missing contained Questionnaire", ["backchat"], `${R}/questionnaire`, (b) => (response(b).questionnaire = "#q")],
  ["an option without a display", ["backchat"], `${Q}/item/1/answerOption/0/valueCoding`, (b) => delete questionnaire(b).item[1].answerOption[0].valueCoding.display],
  ["an answer without a display", ["backchat"], `${R}/item/1/answer/0/valueCoding`, (b) => delete response(b).item[1].answer[0].valueCoding.display],
  ["a wrong Spanish display", ["backchat"], `${R}/item/1/answer/0/valueCoding/display`, (b) => (response(b).item[1].answer[0].valueCoding.display = "Yes")],
  ["a missing Spanish translation", ["backchat"], `${R}/item/1/answer/0/valueCoding`, (b) => delete questionnaire(b).item[1].answerOption[0].valueCoding._display],
  ["an unknown linkId", ["backchat"], `${R}/item/1/linkId`, (b) => (response(b).item[1].linkId = "injuries")],
  ["an unknown code", ["backchat"], `${R}/item/1/answer/0/valueCoding`, (b) => (response(b).item[1].answer[0].valueCoding.code = "maybe")],
  ["an item without text", ["backchat"], `${Q}/item/1`, (b) => delete questionnaire(b).item[1].text],
  ["enableWhen naming a later item", ["backchat"], `${Q}/item/0/enableWhen/0/question`, (b) => {
    questionnaire(b).item[0].enableWhen = [{ question: "injury", operator: "exists", answerBoolean: true }];
  }],
  ["enableWhen answered by a code the item does not offer", ["backchat"], `${Q}/item/1/enableWhen/0/answerCoding`, (b) => {
    questionnaire(b).item[1].enableWhen[0].answerCoding.code = "one_leg";
  }],
  ["two enableWhen without enableBehavior (que-12)", ["backchat"], `${Q}/item/1`, (b) => {
    questionnaire(b).item[1].enableWhen.push({ question: "warning_signs", operator: "exists", answerBoolean: true });
  }],
  ["a repeated linkId (que-2)", ["backchat"], `${Q}/item/1/linkId`, (b) => (questionnaire(b).item[1].linkId = "warning_signs")],
  ["optionExclusive on an item, not an option", ["backchat"], `${Q}/item/0/extension/0`, (b) => {
    questionnaire(b).item[0].extension = [{ url: OPTION_EXCLUSIVE, valueBoolean: true }];
  }],
  ["optionExclusive without valueBoolean", ["backchat"], `${Q}/item/0/answerOption/1/extension/0`, (b) => {
    questionnaire(b).item[0].answerOption[1].extension = [{ url: OPTION_EXCLUSIVE, valueString: "true" }];
  }],
  ["a translation without its language", ["backchat"], `${Q}/item/1/answerOption/0/valueCoding/_display/extension/0`, (b) => {
    questionnaire(b).item[1].answerOption[0].valueCoding._display.extension[0].extension.shift();
  }],
  ["an element R4 does not have", ["fhir.js", "hl7-schema"], `${Q}/item/0`, (b) => (questionnaire(b).item[0].question = "?")],
  ["a status R4 does not have", ["fhir.js", "hl7-schema"], `${R}/status`, (b) => (response(b).status = "done")],
  ["a Medplum resource type, not an R4 one", ["fhir.js", "hl7-schema"], "/entry/0/resource", (b) => (b.entry[0].resource = { resourceType: "Project", name: "x" })],
  ["a Medplum element of Meta, not an R4 one", ["hl7-schema"], `${Q}/meta`, (b) => (questionnaire(b).meta = { project: "urn:x" })],
];

for (const [name, validators, path, applyDefect] of defects) {
  test(`${name}: reported by ${validators.join(", ")} at ${path}`, () => {
    const bundle = validBundle();
    applyDefect(bundle);
    const errors = checkFhir(bundle);
    for (const validator of validators) {
      assert.ok(
        errors.some((e) => e.startsWith(`${validator}: ${path}`)),
        `no "${validator}: ${path}..." error among:\n  ${errors.join("\n  ")}`,
      );
    }
  });
}
