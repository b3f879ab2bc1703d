import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  validateCmi5CourseStructure,
  validateScorm12Manifest,
  validateScorm2004Manifest,
  type XmlValidationResult,
} from '../support/xml/validate.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/xml/${name}`, import.meta.url), 'utf8');
const scorm12 = fixture('scorm12-imsmanifest.xml');
const scorm2004 = fixture('scorm2004-imsmanifest.xml');
const cmi5 = fixture('cmi5.xml');

/** Replace exactly one occurrence, so a drifting fixture cannot turn a case into a no-op. */
function mutate(xml: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? xml.split(from).length - 1 : (xml.match(new RegExp(from, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`expected exactly one match for ${String(from)}, found ${count}`);
  return xml.replace(from, to);
}

interface InvalidCase {
  name: string;
  xml: string;
  /** must match one error message */
  message: RegExp;
}

function expectInvalid(result: XmlValidationResult, docName: string, message: RegExp) {
  expect(result.valid).toBe(false);
  expect(result.errors.length).toBeGreaterThan(0);
  // xmllint's own format: "<file>:<line>: ... Schemas validity error : ..."
  for (const error of result.errors) expect(error).toMatch(new RegExp(`^${docName.replace('.', '\\.')}:\\d+: `));
  expect(result.errors.some((e) => message.test(e)), result.errors.join('\n')).toBe(true);
}

describe('SCORM 1.2 manifest', () => {
  it('accepts a realistic single-SCO manifest (with imsmd LOM metadata and adlcp:masteryscore)', async () => {
    expect(await validateScorm12Manifest(scorm12)).toEqual({ valid: true, errors: [] });
  });

  const cases: InvalidCase[] = [
    {
      name: 'resource without identifier',
      xml: mutate(scorm12, '<resource identifier="RES-safety-basics" ', '<resource '),
      message: /Element '\{[^}]+\}resource': The attribute 'identifier' is required but missing/,
    },
    {
      name: 'adlcp:scormtype with a wrong value',
      xml: mutate(scorm12, 'adlcp:scormtype="sco"', 'adlcp:scormtype="SCO"'),
      message: /attribute '\{http:\/\/www\.adlnet\.org\/xsd\/adlcp_rootv1p2\}scormtype': \[facet 'enumeration'\] The value 'SCO'/,
    },
    {
      name: 'the 2004 spelling adlcp:scormType (capital T)',
      xml: mutate(scorm12, 'adlcp:scormtype="sco"', 'adlcp:scormType="sco"'),
      message: /attribute '\{http:\/\/www\.adlnet\.org\/xsd\/adlcp_rootv1p2\}scormType': No matching global attribute declaration/,
    },
    {
      name: 'identifier that is not an XML ID (starts with a digit)',
      xml: mutate(scorm12, '<item identifier="ITEM-safety-basics"', '<item identifier="1-safety-basics"'),
      message: /attribute 'identifier': '1-safety-basics' is not a valid value of the atomic type 'xs:ID'/,
    },
    {
      name: 'two elements with the same identifier',
      xml: mutate(scorm12, '<item identifier="ITEM-safety-basics"', '<item identifier="RES-safety-basics"'),
      // libxml2's wording for a duplicate ID; it is reported on the second occurrence
      message: /resource', attribute 'identifier': 'RES-safety-basics' is not a valid value of the atomic type 'xs:ID'/,
    },
    {
      name: 'adlcp:masteryscore before the item title',
      xml: mutate(
        scorm12,
        /(<title>Workplace Safety Basics<\/title>\s*)(<adlcp:masteryscore>80<\/adlcp:masteryscore>)/,
        '$2$1',
      ),
      message: /Element '\{[^}]+\}title': This element is not expected/,
    },
    {
      name: 'manifest without <resources>',
      xml: mutate(scorm12, /<resources>[\s\S]*<\/resources>/, ''),
      message: /Element '\{[^}]+\}manifest': Missing child element\(s\)\. Expected is .*resources/,
    },
  ];
  it.each(cases)('rejects: $name', async ({ xml, message }) => {
    expectInvalid(await validateScorm12Manifest(xml), 'imsmanifest.xml', message);
  });

  it('blind spots: dangling IDREFs, a non-numeric masteryscore and missing titles pass, so check them separately', async () => {
    let xml = mutate(scorm12, 'default="ORG-safety-basics"', 'default="ORG-missing"'); // libxml2 does not resolve xs:IDREF
    xml = mutate(xml, '<adlcp:masteryscore>80<', '<adlcp:masteryscore>eighty<'); // XSD: string, maxLength 200
    xml = xml.replaceAll('<title>Workplace Safety Basics</title>', ''); // XSD: title minOccurs="0"
    expect(await validateScorm12Manifest(xml)).toEqual({ valid: true, errors: [] });
  });

  it('reports the line of the offending element', async () => {
    const xml = mutate(scorm12, '<resource identifier="RES-safety-basics" ', '<resource ');
    const line = xml.split('\n').findIndex((l) => l.includes('<resource ')) + 1;
    const { errors } = await validateScorm12Manifest(xml);
    expect(errors[0]).toMatch(new RegExp(`^imsmanifest\\.xml:${line}: `));
  });
});

describe('SCORM 2004 4th Edition manifest', () => {
  it('accepts a realistic single-SCO manifest with sequencing, completion threshold and navigation', async () => {
    expect(await validateScorm2004Manifest(scorm2004)).toEqual({ valid: true, errors: [] });
  });

  const cases: InvalidCase[] = [
    {
      name: 'adlcp:scormType with a wrong value',
      xml: mutate(scorm2004, 'adlcp:scormType="sco"', 'adlcp:scormType="SCO"'),
      message: /attribute '\{http:\/\/www\.adlnet\.org\/xsd\/adlcp_v1p3\}scormType': \[facet 'enumeration'\] The value 'SCO'/,
    },
    {
      name: 'minNormalizedMeasure as a percentage',
      xml: mutate(scorm2004, '<imsss:minNormalizedMeasure>0.8<', '<imsss:minNormalizedMeasure>80<'),
      message: /minNormalizedMeasure': \[facet 'maxInclusive'\] The value '80' is greater than the maximum value allowed \('1'\)/,
    },
    {
      name: 'objectives without a primaryObjective',
      xml: mutate(scorm2004, /<imsss:primaryObjective (objectiveID="[^"]+") satisfiedByMeasure="true">([\s\S]*?)<\/imsss:primaryObjective>/, '<imsss:objective $1>$2</imsss:objective>'),
      message: /Element '\{http:\/\/www\.imsglobal\.org\/xsd\/imsss\}objective': This element is not expected\. Expected is .*primaryObjective/,
    },
    {
      name: 'completionThreshold minProgressMeasure above 1',
      xml: mutate(scorm2004, 'minProgressMeasure="0.9"', 'minProgressMeasure="1.5"'),
      message: /attribute 'minProgressMeasure': \[facet 'maxInclusive'\] The value '1.5'/,
    },
    {
      name: 'sequencing children out of order (objectives before controlMode)',
      xml: mutate(scorm2004, /(<imsss:controlMode [^>]*\/>\s*)(<imsss:objectives>[\s\S]*?<\/imsss:objectives>\s*)/, '$2$1'),
      message: /Element '\{http:\/\/www\.imsglobal\.org\/xsd\/imsss\}controlMode': This element is not expected/,
    },
    {
      name: 'organization without items (allowed in 1.2, not in 2004)',
      xml: mutate(scorm2004, /<item identifier[\s\S]*<\/item>/, ''),
      message: /Element '\{http:\/\/www\.imsglobal\.org\/xsd\/imscp_v1p1\}organization': Missing child element\(s\)\. Expected is .*item/,
    },
  ];
  it.each(cases)('rejects: $name', async ({ xml, message }) => {
    expectInvalid(await validateScorm2004Manifest(xml), 'imsmanifest.xml', message);
  });

  it('blind spot: the 1.2 spelling adlcp:scormtype passes the official XSDs (lax wildcard), so check it separately', async () => {
    const xml = mutate(scorm2004, 'adlcp:scormType="sco"', 'adlcp:scormtype="sco"');
    expect((await validateScorm2004Manifest(xml)).valid).toBe(true);
  });
});

describe('cmi5 course structure', () => {
  it('accepts a course with one AU carrying moveOn and masteryScore', async () => {
    expect(await validateCmi5CourseStructure(cmi5)).toEqual({ valid: true, errors: [] });
  });

  const cases: InvalidCase[] = [
    {
      name: 'au without url',
      xml: mutate(cmi5, /\s*<url>index\.html<\/url>/, ''),
      message: /Element '\{[^}]+\}au': Missing child element\(s\)\. Expected is .*url/,
    },
    {
      name: 'moveOn with a value outside the enumeration',
      xml: mutate(cmi5, 'moveOn="CompletedAndPassed"', 'moveOn="Complete"'),
      message: /attribute 'moveOn': \[facet 'enumeration'\] The value 'Complete' is not an element of the set/,
    },
    {
      name: 'masteryScore as a percentage',
      xml: mutate(cmi5, 'masteryScore="0.8"', 'masteryScore="80"'),
      message: /attribute 'masteryScore': \[facet 'maxInclusive'\] The value '80' is greater than the maximum value allowed \('1'\)/,
    },
    {
      name: 'au without description',
      xml: mutate(cmi5, /\s*<description>\s*<langstring lang="en-US">The whole course[^<]*<\/langstring>\s*<\/description>/, ''),
      message: /Element '\{[^}]+\}url': This element is not expected\. Expected is .*description/,
    },
    {
      name: 'course without any au or block',
      xml: mutate(cmi5, /\s*<au [\s\S]*<\/au>/, ''),
      message: /Element '\{[^}]+\}courseStructure': Missing child element\(s\)\. Expected is .*au/,
    },
    {
      name: 'elements outside the cmi5 namespace',
      xml: mutate(cmi5, ' xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"', ''),
      message: /Element 'courseStructure': No matching global declaration available for the validation root/,
    },
  ];
  it.each(cases)('rejects: $name', async ({ xml, message }) => {
    expectInvalid(await validateCmi5CourseStructure(xml), 'cmi5.xml', message);
  });
});

it('reports a document that is not well-formed as invalid instead of throwing', async () => {
  const result = await validateCmi5CourseStructure(cmi5.replace('</courseStructure>', ''));
  expect(result.valid).toBe(false);
  expect(result.errors[0]).toMatch(/^cmi5\.xml:\d+: parser error/);
});
